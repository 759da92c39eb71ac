import { redisKeys } from '@inferq/core';
import { createRedis, parseOutboxEntry } from '@inferq/store';
import { testRedisUrl, waitFor } from '@inferq/testkit';
import { AUTH_ACME, AUTH_GLOBEX, startTestApi, validJob } from './test/harness';
import type { TestApi } from './test/harness';

let t: TestApi;
let allowing: TestApi;
const redis = createRedis(testRedisUrl(), 'blocking');
beforeAll(async () => {
  t = await startTestApi('api-webhooks');
  allowing = await startTestApi('api-webhooks-allow', { WEBHOOK_ALLOW_HOSTS: '127.0.0.1,hooks.internal' });
});
afterAll(async () => {
  await Promise.all([t.close(), allowing.close()]);
  redis.disconnect();
});

const submit = (api: TestApi, url: string) =>
  api.http
    .post('/v1/jobs')
    .set(AUTH_ACME)
    .send({ ...validJob, webhook: { url } });

describe('webhook URL at submit', () => {
  it.each([
    ['http://127.0.0.1:4000/hook', 'is a loopback address (127.0.0.0/8)'],
    ['http://[::1]/hook', 'is a loopback address'],
    ['http://10.0.0.7/hook', 'is a private address (10.0.0.0/8)'],
    ['http://172.20.1.1/hook', 'is a private address (172.16.0.0/12)'],
    ['http://192.168.0.10/hook', 'is a private address (192.168.0.0/16)'],
    ['http://169.254.10.1/hook', 'is a link-local address (169.254.0.0/16)'],
    ['http://[fe80::1]/hook', 'is a link-local address'],
    ['http://100.100.1.1/hook', 'is a carrier-grade NAT address (100.64.0.0/10)'],
    ['http://[fd12::1]/hook', 'is a unique-local address'],
    ['http://239.1.1.1/hook', 'is a multicast address (224.0.0.0/4)'],
    ['http://0.0.0.0/hook', 'is an unspecified address'],
    ['http://169.254.169.254/latest/meta-data/', 'is a cloud metadata address (169.254.169.254)'],
    ['http://[fd00:ec2::254]/', 'is a cloud metadata address'],
    ['http://localhost:4000/hook', 'resolves to a loopback address'],
  ])('refuses %s with 400 naming the reason', async (url, reason) => {
    const res = await submit(t, url);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_error');
    expect(res.body.error.details).toEqual([{ path: 'webhook.url', message: expect.stringContaining(reason) }]);
  });

  it('accepts what WEBHOOK_ALLOW_HOSTS allows, and nothing more', async () => {
    expect((await submit(allowing, 'http://127.0.0.1:4000/hook')).status).toBe(202);
    expect((await submit(allowing, 'http://hooks.internal/hook')).status).toBe(202);
    expect((await submit(allowing, 'http://10.0.0.7/hook')).status).toBe(400);
  });
});

describe('webhook secret', () => {
  it('is created on first use, stable, and per tenant', async () => {
    const a = await t.http.get('/v1/webhooks/secret').set(AUTH_ACME);
    expect(a.status).toBe(200);
    expect(a.headers['cache-control']).toBe('no-store');
    expect(a.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect((await t.http.get('/v1/webhooks/secret').set(AUTH_ACME)).body.secret).toBe(a.body.secret);
    expect((await t.http.get('/v1/webhooks/secret').set(AUTH_GLOBEX)).body.secret).not.toBe(a.body.secret);
    expect((await t.http.get('/v1/webhooks/secret')).status).toBe(401);
  });

  it('rotates to a new secret, the old one still signing for 24 h', async () => {
    const before = (await t.http.get('/v1/webhooks/secret').set(AUTH_GLOBEX)).body.secret as string;
    const res = await t.http.post('/v1/webhooks/secret/rotate').set(AUTH_GLOBEX);
    expect(res.status).toBe(200);
    expect(res.body.secret).toMatch(/^whsec_/);
    expect(res.body.secret).not.toBe(before);
    expect(Date.parse(res.body.previous_valid_until) - Date.now()).toBeGreaterThan(23 * 3600_000);
    expect((await t.http.get('/v1/webhooks/secret').set(AUTH_GLOBEX)).body.secret).toBe(res.body.secret);
  });
});

describe('POST /v1/jobs/{id}/webhook/redeliver', () => {
  async function job(body: object): Promise<string> {
    const res = await allowing.http.post('/v1/jobs').set(AUTH_ACME).send(body);
    expect(res.status).toBe(202);
    return res.body.id as string;
  }
  const redeliver = (id: string, auth = AUTH_ACME) => allowing.http.post(`/v1/jobs/${id}/webhook/redeliver`).set(auth);
  const hooked = { ...validJob, webhook: { url: 'http://127.0.0.1:4000/hook' } };

  it('is 404 for another tenant, 409 until the job is finished or without a webhook', async () => {
    const id = await job(hooked);
    expect((await redeliver(id, AUTH_GLOBEX)).status).toBe(404);
    expect((await redeliver('job_01JABCDEFGHJKMNPQRSTVWXYZ0')).status).toBe(404);
    const queued = await redeliver(id);
    expect(queued.status).toBe(409);
    expect(queued.body.error.code).toBe('conflict');
    const plain = await job(validJob);
    await allowing.http.post(`/v1/jobs/${plain}/cancel`).set(AUTH_ACME);
    expect((await redeliver(plain)).status).toBe(409);
  });

  it('writes the terminal event to the webhook outbox for the dispatcher', async () => {
    const id = await job(hooked);
    expect((await allowing.http.post(`/v1/jobs/${id}/cancel`).set(AUTH_ACME)).status).toBe(200);
    const res = await redeliver(id);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id, type: 'job.canceled', webhook_id: `${id}.canceled` });
    const outbox = redisKeys(allowing.prefix).webhookOutbox('default');
    const entries = await waitFor(async () => {
      const all = (await redis.xrange(outbox, '-', '+'))
        .map(([, f]) => parseOutboxEntry(f))
        .filter((e) => e?.job === id);
      return all.length >= 2 ? all : undefined;
    });
    expect(entries.map((e) => [e!.event, e!.redeliver !== undefined])).toEqual([
      ['canceled', false],
      ['canceled', true],
    ]);
  });
});
