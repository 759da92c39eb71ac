import { AllowList, allowEntryProblem, blockedAddressReason } from './address-policy';

describe('blockedAddressReason', () => {
  it.each([
    ['127.0.0.1', 'a loopback address (127.0.0.0/8)'],
    ['::1', 'a loopback address'],
    ['10.1.2.3', 'a private address (10.0.0.0/8)'],
    ['172.16.5.4', 'a private address (172.16.0.0/12)'],
    ['192.168.1.1', 'a private address (192.168.0.0/16)'],
    ['169.254.1.1', 'a link-local address (169.254.0.0/16)'],
    ['fe80::1', 'a link-local address'],
    ['100.64.0.1', 'a carrier-grade NAT address (100.64.0.0/10)'],
    ['fd12:3456::1', 'a unique-local address'],
    ['224.0.0.1', 'a multicast address (224.0.0.0/4)'],
    ['ff02::1', 'a multicast address'],
    ['0.0.0.0', 'an unspecified address'],
    ['::', 'an unspecified address'],
    ['240.0.0.1', 'a reserved address (240.0.0.0/4)'],
    ['169.254.169.254', 'a cloud metadata address (169.254.169.254)'],
    ['fd00:ec2::254', 'a cloud metadata address'],
    ['::ffff:127.0.0.1', 'a loopback address (127.0.0.0/8)'],
    ['::ffff:10.0.0.1', 'a private address (10.0.0.0/8)'],
  ])('refuses %s as %s', (ip, reason) => {
    expect(blockedAddressReason(ip)).toContain(reason);
  });

  it.each(['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111'])('lets public %s through', (ip) => {
    expect(blockedAddressReason(ip)).toBeUndefined();
  });
});

describe('AllowList', () => {
  const allow = new AllowList(['127.0.0.1', '10.20.0.0/16', 'Receiver.Internal', '[::1]']);

  it('matches listed addresses and CIDRs only', () => {
    expect(allow.allowsAddress('127.0.0.1')).toBe(true);
    expect(allow.allowsAddress('127.0.0.2')).toBe(false);
    expect(allow.allowsAddress('10.20.255.1')).toBe(true);
    expect(allow.allowsAddress('10.21.0.1')).toBe(false);
    expect(allow.allowsAddress('::1')).toBe(true);
    expect(allow.cidrs()).toEqual(['127.0.0.1/32', '10.20.0.0/16', '::1/128']);
  });

  it('matches host names case-insensitively, and only by name', () => {
    expect(allow.allowsHost('receiver.internal')).toBe(true);
    expect(allow.allowsHost('other.internal')).toBe(false);
    expect(new AllowList().empty).toBe(true);
  });

  it('refuses entries that are neither host, IP nor CIDR', () => {
    expect(allowEntryProblem('10.0.0.0/99')).toMatch(/CIDR/);
    expect(allowEntryProblem('http://x')).toBeDefined();
    expect(allowEntryProblem('localhost')).toBeUndefined();
    expect(() => new AllowList(['not a host'])).toThrow(/WEBHOOK_ALLOW_HOSTS/);
  });
});
