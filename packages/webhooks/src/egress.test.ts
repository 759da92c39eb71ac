import type { LookupFunction } from 'node:net';
import { startWebhookReceiver } from '@inferq/testkit';
import type { WebhookReceiver } from '@inferq/testkit';
import { AllowList } from './address-policy';
import { WebhookEgress } from './egress';

let receiver: WebhookReceiver;
let other: WebhookReceiver;
const egresses: WebhookEgress[] = [];
const egress = (o: ConstructorParameters<typeof WebhookEgress>[0] = {}) => {
  const e = new WebhookEgress(o);
  egresses.push(e);
  return e;
};
const local = new AllowList(['127.0.0.1']);

/** A DNS that answers 127.0.0.1 for every name: what a rebinding attacker's DNS does at connect time. */
const rebinding: LookupFunction = (_host, opts, cb) => {
  if ((opts as { all?: boolean }).all)
    (cb as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [
      { address: '127.0.0.1', family: 4 },
    ]);
  else cb(null, '127.0.0.1', 4);
};

beforeEach(async () => {
  receiver = await startWebhookReceiver();
  other = await startWebhookReceiver();
});
afterEach(async () => {
  await Promise.all([receiver.close(), other.close(), ...egresses.splice(0).map((e) => e.close())]);
});

describe('WebhookEgress', () => {
  it('refuses a private address at connect time unless allowed, and never reaches it', async () => {
    const res = await egress().post(`${receiver.url}/hook`, '{}', {});
    expect(res).toMatchObject({
      ok: false,
      status: null,
      blocked: true,
      error: expect.stringMatching(/^refused: .*private IP/),
    });
    expect(receiver.received).toHaveLength(0);

    const ok = await egress({ allow: local }).post(`${receiver.url}/hook`, '{"a":1}', { 'webhook-id': 'm1' });
    expect(ok).toMatchObject({ ok: true, status: 200 });
    expect(receiver.received[0]).toMatchObject({
      path: '/hook',
      body: '{"a":1}',
      headers: expect.objectContaining({ 'webhook-id': 'm1', 'content-type': 'application/json' }),
    });
  });

  it('checks the address DNS gives at connect time (rebinding), not the name', async () => {
    const port = new URL(receiver.url).port;
    const res = await egress({ lookup: rebinding }).post(`http://rebind.example:${port}/hook`, '{}', {});
    expect(res).toMatchObject({ ok: false, blocked: true, error: expect.stringContaining('host:rebind.example') });
    expect(receiver.received).toHaveLength(0);
    // The same lookup with the address allowed does connect: the check really ran on its answer.
    const allowed = await egress({ lookup: rebinding, allow: local }).post(
      `http://rebind.example:${port}/hook`,
      '{}',
      {},
    );
    expect(allowed).toMatchObject({ ok: true, status: 200 });
  });

  it('lets a host allowed by name reach any address', async () => {
    const port = new URL(receiver.url).port;
    const res = await egress({ allow: new AllowList(['localhost']) }).post(`http://localhost:${port}/x`, '{}', {});
    expect(res).toMatchObject({ ok: true, status: 200 });
  });

  it('does not follow a redirect', async () => {
    receiver.script({ status: 302, headers: { location: `${other.url}/elsewhere` } });
    const res = await egress({ allow: local }).post(`${receiver.url}/hook`, '{}', {});
    expect(res).toMatchObject({ ok: false, status: 302, error: 'HTTP 302: redirect not followed' });
    await new Promise((r) => setTimeout(r, 200));
    expect(other.received).toHaveLength(0);
  });

  it('gives up on a receiver that does not answer within the timeout', async () => {
    receiver.script({ hang: true });
    const res = await egress({ allow: local, timeoutMs: 300 }).post(`${receiver.url}/hook`, '{}', {});
    expect(res).toMatchObject({ ok: false, status: null, error: 'timed out after 300 ms' });
    expect(res.durationMs).toBeGreaterThanOrEqual(250);
    expect(res.durationMs).toBeLessThan(5000);
  });

  it('reads at most the answer cap and hangs up on an endless answer', async () => {
    receiver.script({ endless: true });
    const res = await egress({ allow: local, timeoutMs: 8000, maxResponseBytes: 64 * 1024 }).post(
      `${receiver.url}/hook`,
      '{}',
      {},
    );
    expect(res).toMatchObject({ ok: true, status: 200 });
    expect(res.error).toBeUndefined();
  });

  it('reports Retry-After of 429 and 503 answers', async () => {
    receiver.script(
      { status: 429, headers: { 'retry-after': '7' } },
      { status: 503, headers: { 'retry-after': 'soon' } },
      { status: 500, headers: { 'retry-after': '7' } },
    );
    const e = egress({ allow: local });
    expect(await e.post(receiver.url, '{}', {})).toMatchObject({ status: 429, retryAfterMs: 7000 });
    expect((await e.post(receiver.url, '{}', {})).retryAfterMs).toBeUndefined();
    expect((await e.post(receiver.url, '{}', {})).retryAfterMs).toBeUndefined();
  });

  it('refuses schemes other than http and https', async () => {
    expect(await egress().post('file:///etc/passwd', '{}', {})).toMatchObject({ ok: false, blocked: true });
  });
});
