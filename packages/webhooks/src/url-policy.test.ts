import { AllowList } from './address-policy';
import { WebhookUrlPolicy } from './url-policy';
import type { ResolveHost } from './url-policy';

/** A DNS of our own: host -> addresses, or an error code. */
function fakeDns(table: Record<string, string[] | string>): ResolveHost {
  return async (host) => {
    const v = table[host];
    if (v === undefined || typeof v === 'string')
      throw Object.assign(new Error(`lookup ${host}`), { code: v ?? 'ENOTFOUND' });
    return v.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

const dns = fakeDns({
  'public.example': ['93.184.216.34'],
  'internal.example': ['10.0.0.5'],
  'metadata.example': ['169.254.169.254'],
  'split.example': ['93.184.216.34', '192.168.1.10'],
  'v6.example': ['fd00::5'],
  'flaky.example': 'EAI_AGAIN',
});
const policy = new WebhookUrlPolicy({ resolve: dns });

describe('WebhookUrlPolicy at submit', () => {
  it('accepts a public https URL', async () => {
    await expect(policy.check('https://public.example/hooks')).resolves.toEqual({ ok: true });
    await expect(policy.check('http://93.184.216.34:8080/x')).resolves.toEqual({ ok: true });
  });

  it.each([
    ['ftp://public.example/x', 'must be an http or https URL'],
    ['https://user:pw@public.example/x', 'must not carry credentials'],
    ['http://127.0.0.1/x', 'is a loopback address (127.0.0.0/8)'],
    ['http://[::1]/x', 'is a loopback address'],
    ['http://10.0.0.1/x', 'is a private address (10.0.0.0/8)'],
    ['http://169.254.169.254/latest/meta-data', 'is a cloud metadata address'],
    ['http://100.64.1.1/x', 'is a carrier-grade NAT address (100.64.0.0/10)'],
    ['http://[fd00::1]/x', 'is a unique-local address'],
    ['http://224.0.0.5/x', 'is a multicast address'],
    ['http://0.0.0.0/x', 'is an unspecified address'],
    ['http://0x7f.1/x', 'is a loopback address'],
    ['https://internal.example/x', 'resolves to a private address (10.0.0.0/8)'],
    ['https://metadata.example/x', 'resolves to a cloud metadata address'],
    ['https://split.example/x', 'resolves to a private address (192.168.0.0/16)'],
    ['https://v6.example/x', 'resolves to a unique-local address'],
    ['https://nowhere.example/x', 'host nowhere.example does not resolve'],
  ])('refuses %s: %s', async (url, reason) => {
    const verdict = await policy.check(url);
    expect(verdict).toMatchObject({ ok: false, kind: 'refused' });
    expect(verdict.ok ? '' : verdict.reason).toContain(reason);
  });

  it('refuses a host name that the system resolves to loopback (localhost)', async () => {
    const real = new WebhookUrlPolicy();
    await expect(real.check('http://localhost:4000/hook')).resolves.toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^resolves to a loopback address/),
    });
  });

  it('answers unavailable, not refused, when DNS itself fails or hangs', async () => {
    await expect(policy.check('https://flaky.example/x')).resolves.toMatchObject({ ok: false, kind: 'unavailable' });
    const hanging = new WebhookUrlPolicy({ resolve: () => new Promise(() => undefined), resolveTimeoutMs: 50 });
    await expect(hanging.check('https://slow.example/x')).resolves.toMatchObject({ ok: false, kind: 'unavailable' });
  });

  it('lets WEBHOOK_ALLOW_HOSTS exempt addresses, CIDRs and host names', async () => {
    const never: ResolveHost = () => Promise.reject(new Error('must not resolve an allowed host name'));
    const allowed = new WebhookUrlPolicy({
      allow: new AllowList(['127.0.0.1', '10.0.0.0/8', 'hooks.internal']),
      resolve: dns,
    });
    await expect(allowed.check('http://127.0.0.1:4000/hook')).resolves.toEqual({ ok: true });
    await expect(allowed.check('https://internal.example/x')).resolves.toEqual({ ok: true });
    await expect(
      new WebhookUrlPolicy({ allow: new AllowList(['hooks.internal']), resolve: never }).check(
        'http://hooks.internal/x',
      ),
    ).resolves.toEqual({ ok: true });
    await expect(allowed.check('http://127.0.0.2/x')).resolves.toMatchObject({ ok: false });
  });
});
