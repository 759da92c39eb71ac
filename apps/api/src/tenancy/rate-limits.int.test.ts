import { AUTH_ACME, AUTH_GLOBEX, startTestApi, validJob } from '../test/harness';
import type { TestApi } from '../test/harness';
import { waitFor } from '@inferq/testkit';
import { AUTH_ADMIN, ADMIN_TOKEN, startPeerApi } from '../test/tenancy-fixtures';

describe('RATE_LIMIT_RPM', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi('api-rpm', { ADMIN_TOKEN, RATE_LIMIT_RPM: '5' });
  });
  afterAll(() => t.close());

  it('counts per tenant with RateLimit-* headers, then answers 429 rate_limited with Retry-After', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await t.http.get('/v1/models').set(AUTH_ACME).expect(200);
      expect(res.headers['ratelimit-limit']).toBe('5');
      expect(res.headers['ratelimit-remaining']).toBe(String(4 - i));
      expect(Number(res.headers['ratelimit-reset'])).toBeGreaterThan(0);
      expect(Number(res.headers['ratelimit-reset'])).toBeLessThanOrEqual(60);
    }
    const res = await t.http.post('/v1/jobs').set(AUTH_ACME).send(validJob).expect(429);
    expect(res.body.error.code).toBe('rate_limited');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(res.headers['ratelimit-remaining']).toBe('0');
    // Other tenants and the admin API are not affected.
    await t.http.get('/v1/models').set(AUTH_GLOBEX).expect(200);
    await t.http.get('/v1/admin/keys').set(AUTH_ADMIN).expect(200);
  });

  it('shares the count between api processes and applies a tenant override in both at once', async () => {
    const peer = await startPeerApi(t.prefix, { RATE_LIMIT_RPM: '5' });
    try {
      // globex used 1 of 5 above; the peer sees the same window.
      const first = await peer.http.get('/v1/models').set(AUTH_GLOBEX).expect(200);
      expect(first.headers['ratelimit-remaining']).toBe('3');
      for (let i = 0; i < 3; i++) await t.http.get('/v1/models').set(AUTH_GLOBEX).expect(200);
      await peer.http.get('/v1/models').set(AUTH_GLOBEX).expect(429);

      const put = await t.http
        .put('/v1/admin/tenants/globex/limits')
        .set(AUTH_ADMIN)
        .send({ rate_limit_rpm: 50 })
        .expect(200);
      expect(put.body).toMatchObject({
        tenant: 'globex',
        limits: { rate_limit_rpm: 50 },
        overrides: { rate_limit_rpm: 50 },
      });
      // The peer cached globex's limits a moment ago; the change message drops that copy
      // well before the copy's own 5 s limit (LIMITS_CACHE_MS) would.
      const started = Date.now();
      await waitFor(async () => {
        const res = await peer.http.get('/v1/models').set(AUTH_GLOBEX);
        return res.headers['ratelimit-limit'] === '50' ? res.status : undefined;
      }, 3000);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await peer.api.close();
    }
  });
});

describe('RATE_LIMIT_RPM under concurrent requests', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi('api-rpm-burst', { RATE_LIMIT_RPM: '7' });
  });
  afterAll(() => t.close());

  it('lets exactly the limit through a burst counted together, each with its own RateLimit-Remaining', async () => {
    const burst = await Promise.all(Array.from({ length: 12 }, () => t.http.get('/v1/models').set(AUTH_ACME)));
    const passed = burst.filter((r) => r.status === 200);
    const limited = burst.filter((r) => r.status === 429);
    expect(passed).toHaveLength(7);
    expect(limited).toHaveLength(5);
    expect(passed.map((r) => Number(r.headers['ratelimit-remaining'])).sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (const r of limited) {
      expect(r.body.error.code).toBe('rate_limited');
      expect(r.headers['ratelimit-remaining']).toBe('0');
    }
    // Once over, the tenant is refused from memory too, and still with a Retry-After.
    const again = await t.http.get('/v1/models').set(AUTH_ACME).expect(429);
    expect(Number(again.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    await t.http.get('/v1/models').set(AUTH_GLOBEX).expect(200);
  });
});

describe('MAX_QUEUED_PER_TENANT and DAILY_TOKEN_BUDGET', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi('api-caps', { ADMIN_TOKEN, MAX_QUEUED_PER_TENANT: '3', DAILY_TOKEN_BUDGET: '10' });
  });
  afterAll(() => t.close());

  const submit = (auth = AUTH_ACME) => t.http.post('/v1/jobs').set(auth).send(validJob);

  it('answers 429 queue_full past the cap, and admits again once a job ends or the cap is raised', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await submit().expect(202)).body.id);
    const full = await submit().expect(429);
    expect(full.body.error.code).toBe('queue_full');
    expect(Number(full.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    await submit(AUTH_GLOBEX).expect(202);

    // An owner refused by admission releases its Idempotency-Key, so the retry can succeed.
    await t.http.post('/v1/jobs').set(AUTH_ACME).set('Idempotency-Key', 'after-full').send(validJob).expect(429);
    await t.http.post(`/v1/jobs/${ids[0]}/cancel`).set(AUTH_ACME).expect(200);
    await t.http.post('/v1/jobs').set(AUTH_ACME).set('Idempotency-Key', 'after-full').send(validJob).expect(202);
    await submit().expect(429);

    await t.http.put('/v1/admin/tenants/acme/limits').set(AUTH_ADMIN).send({ max_queued: 4 }).expect(200);
    await submit().expect(202);
    await submit().expect(429);
    await t.http.put('/v1/admin/tenants/acme/limits').set(AUTH_ADMIN).send({ max_queued: null }).expect(200);
    const got = await t.http.get('/v1/admin/tenants/acme/limits').set(AUTH_ADMIN).expect(200);
    expect(got.body).toEqual({
      tenant: 'acme',
      limits: { rate_limit_rpm: 6000, max_queued: 3, daily_token_budget: 10, weight: 1 },
      overrides: {},
      defaults: { rate_limit_rpm: 6000, max_queued: 3, daily_token_budget: 10, weight: 1 },
    });
  });

  it("answers 429 budget_exceeded once the day's tokens reach the budget, until midnight UTC", async () => {
    const id = (await submit(AUTH_GLOBEX).expect(202)).body.id;
    await t.store.start(id, 1);
    const output = { text: 'done', finish_reason: 'stop' as const };
    await t.store.succeed(id, 'globex', { output, usage: { input_tokens: 6, output_tokens: 5 }, ttftMs: 1 });

    const res = await submit(AUTH_GLOBEX).expect(429);
    expect(res.body.error.code).toBe('budget_exceeded');
    const retry = Number(res.headers['retry-after']);
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(86_400);

    await t.http.put('/v1/admin/tenants/globex/limits').set(AUTH_ADMIN).send({ daily_token_budget: 1000 }).expect(200);
    await submit(AUTH_GLOBEX).expect(202);
  });

  it('validates limit patches', async () => {
    for (const body of [{ max_queued: 0 }, { rate_limit_rpm: 1.5 }, { burst: 3 }, { daily_token_budget: '9' }]) {
      const res = await t.http.put('/v1/admin/tenants/acme/limits').set(AUTH_ADMIN).send(body).expect(400);
      expect(res.body.error.code).toBe('validation_error');
    }
    await t.http.put('/v1/admin/tenants/Bad%20Tenant/limits').set(AUTH_ADMIN).send({}).expect(400);
  });
});
