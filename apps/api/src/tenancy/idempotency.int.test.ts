import { AUTH_ACME, AUTH_GLOBEX, startTestApi, validJob } from '../test/harness';
import type { TestApi } from '../test/harness';
import { createRedis } from '@inferq/store';
import { testRedisUrl } from '@inferq/testkit';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi('api-idem');
});
afterAll(() => t.close());

const post = (key: string, body: object = validJob, auth = AUTH_ACME) =>
  t.http.post('/v1/jobs').set(auth).set('Idempotency-Key', key).send(body);
const jobCount = (tenant: string) => t.store.list(tenant, ['default'], { limit: 100 }).then((l) => l.data.length);

describe('Idempotency-Key', () => {
  it('replays the same job with 200 and Idempotent-Replayed, for a body equal up to key order', async () => {
    const first = await post('order-17').expect(202);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await post('order-17', { input: { prompt: 'hello there' }, model: 'sim/echo' }).expect(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
  });

  it('answers another body under the same key with 422 idempotency_mismatch', async () => {
    await post('order-18').expect(202);
    const res = await post('order-18', { ...validJob, priority: 'high' }).expect(422);
    expect(res.body.error.code).toBe('idempotency_mismatch');
  });

  it('scopes keys to the tenant', async () => {
    const a = await post('shared-key').expect(202);
    const b = await post('shared-key', validJob, AUTH_GLOBEX).expect(202);
    expect(b.body.id).not.toBe(a.body.id);
  });

  it('creates exactly one job from twenty concurrent requests with one key', async () => {
    const before = await jobCount('acme');
    const answers = await Promise.all(Array.from({ length: 20 }, () => post('burst-1').then((r) => r)));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array<number>(19).fill(200), 202]);
    expect(new Set(answers.map((r) => r.body.id)).size).toBe(1);
    expect(answers.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
    expect(await jobCount('acme')).toBe(before + 1);
  });

  it.each([
    ['a key with spaces', 'a b'],
    ['a key too long', 'k'.repeat(256)],
  ])('refuses %s with 400', async (_n, key) => {
    const res = await post(key).expect(400);
    expect(res.body.error.details[0].path).toBe('Idempotency-Key');
  });

  it('keeps no idempotency record for a request without the header', async () => {
    await t.http.post('/v1/jobs').set(AUTH_ACME).send(validJob).expect(202);
    const redis = createRedis(testRedisUrl(), 'blocking');
    const keys = await redis.keys(`${t.prefix}:idem:*`).finally(() => redis.disconnect());
    // Only the keys used above with the header exist.
    expect(keys.map((k) => k.slice(`${t.prefix}:idem:`.length)).sort()).toEqual(
      ['acme:burst-1', 'acme:order-17', 'acme:order-18', 'acme:shared-key', 'globex:shared-key'].sort(),
    );
  });
});
