import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Subnet = [Address, number];

/**
 * Cloud metadata endpoints (AWS, GCP, Azure, OpenStack on IPv4; AWS on IPv6).
 * They already fall in link-local / unique-local space; naming them gives the
 * caller a clearer reason.
 */
const METADATA_ADDRESSES = ['169.254.169.254', 'fd00:ec2::254'];

/** Readable names (with their article) of ipaddr.js's range classes; anything not `unicast` is refused. */
const RANGE_LABELS: Record<string, string> = {
  loopback: 'a loopback',
  private: 'a private',
  linkLocal: 'a link-local',
  carrierGradeNat: 'a carrier-grade NAT',
  uniqueLocal: 'a unique-local',
  multicast: 'a multicast',
  unspecified: 'an unspecified',
  reserved: 'a reserved',
  broadcast: 'a broadcast',
};

/** The CIDR of ipaddr.js's range table that holds the address, for the message. */
function cidrOf(addr: Address, range: string): string | undefined {
  const table = (addr as unknown as { SpecialRanges: Record<string, Subnet | Subnet[]> }).SpecialRanges;
  const entry = table[range];
  if (!entry) return undefined;
  const subnets = (Array.isArray(entry[0]) ? entry : [entry]) as Subnet[];
  const hit = subnets.find(([net, bits]) => addr.kind() === net.kind() && addr.match(net, bits));
  return hit ? `${hit[0].toString()}/${hit[1]}` : undefined;
}

/**
 * Why an IP address may not receive webhooks, or undefined when it is public
 * unicast. Classes come from ipaddr.js (`range()`), not from a hand-kept list;
 * an IPv4-mapped IPv6 address is judged as the IPv4 address it carries.
 */
export function blockedAddressReason(ip: string): string | undefined {
  if (!ipaddr.isValid(ip)) return 'is not an IP address';
  let addr: Address = ipaddr.parse(ip);
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
    addr = (addr as ipaddr.IPv6).toIPv4Address();
  }
  if (METADATA_ADDRESSES.some((m) => ipaddr.parse(m).toString() === addr.toString())) {
    return `a cloud metadata address (${addr.toString()})`;
  }
  const range = addr.range();
  if (range === 'unicast') return undefined;
  const label = RANGE_LABELS[range] ?? `a special-purpose (${range})`;
  const cidr = cidrOf(addr, range);
  return `${label} address${cidr ? ` (${cidr})` : ''}`;
}

/**
 * WEBHOOK_ALLOW_HOSTS: host names, IP addresses or CIDRs exempt from the
 * private-address block (a receiver on the operator's own network).
 */
export class AllowList {
  private readonly hosts = new Set<string>();
  private readonly subnets: Subnet[] = [];

  constructor(entries: readonly string[] = []) {
    for (const raw of entries) {
      const entry = raw
        .trim()
        .toLowerCase()
        .replace(/^\[|\]$/g, '');
      if (!entry) continue;
      const problem = allowEntryProblem(entry);
      if (problem) throw new Error(`WEBHOOK_ALLOW_HOSTS entry "${raw}" ${problem}`);
      if (ipaddr.isValidCIDR(entry)) this.subnets.push(ipaddr.parseCIDR(entry));
      else if (isIP(entry)) {
        const a = ipaddr.parse(entry);
        this.subnets.push([a, a.kind() === 'ipv4' ? 32 : 128]);
      } else this.hosts.add(entry);
    }
  }

  get empty(): boolean {
    return this.hosts.size === 0 && this.subnets.length === 0;
  }

  /** A host name listed by name (IP literals are matched by `allowsAddress`). */
  allowsHost(host: string): boolean {
    return this.hosts.has(host.toLowerCase().replace(/^\[|\]$/g, ''));
  }

  allowsAddress(ip: string): boolean {
    if (!ipaddr.isValid(ip)) return false;
    const addr = ipaddr.parse(ip);
    return this.subnets.some(([net, bits]) => net.kind() === addr.kind() && addr.match(net, bits));
  }

  /** The IPs and CIDRs, as request-filtering-agent's `allowIPAddressList` wants them. */
  cidrs(): string[] {
    return this.subnets.map(([net, bits]) => `${net.toString()}/${bits}`);
  }
}

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*\.?$/;

/** Why an allow-list entry is unusable, or undefined; for env validation. */
export function allowEntryProblem(entry: string): string | undefined {
  const e = entry
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (ipaddr.isValidCIDR(e) || isIP(e) !== 0) return undefined;
  if (e.includes('/')) return 'is not a valid CIDR';
  return HOSTNAME.test(e) ? undefined : 'is neither a host name, an IP address nor a CIDR';
}
