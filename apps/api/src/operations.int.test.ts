import { createRedis, WorkerRegistry } from '@inferq/store';
import { promValue, testRedisUrl } from '@inferq/testkit';
import { AUTH_ACME, startTestApi, validJob } from './test/harness';
import type { TestApi } from './test/harness';

// The api's operability: request ids, /metrics (route templates, submissions, queue depth), the fleet route.
const ADMIN_TOKEN = 'admin_token_for_the_ops_test_0123';
const METRICS_TOKEN = 'metrics_token_for_the_ops_test';
let t: TestApi;

beforeAll(async () => {
  t = await startTestApi('ops', { ADMIN_TOKEN, METRICS_TOKEN });
});
afterAll(() => t.close());

const scrape = async (): Promise<string> => {
  const res = await t.http.get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toContain('text/plain');
  return res.text;
};

it('answers with the caller X-Request-Id, or a fresh one', async () => {
  const given = await t.http.get('/healthz').set('X-Request-Id', 'trace-abc.123');
  expect(given.headers['x-request-id']).toBe('trace-abc.123');
  const fresh = await t.http.get('/healthz');
  expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  const hostile = await t.http.get('/healthz').set('X-Request-Id', 'a b <script>');
  expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
});

it('counts requests by route template and status, and submissions by model, without ids', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 2; i++) {
    const res = await t.http.post('/v1/jobs').set(AUTH_ACME).send(validJob);
    expect(res.status).toBe(202);
    ids.push(res.body.id as string);
  }
  expect((await t.http.get(`/v1/jobs/${ids[0]}`).set(AUTH_ACME)).status).toBe(200);
  expect((await t.http.get('/v1/jobs/job_01JZZZZZZZZZZZZZZZZZZZZZZZ').set(AUTH_ACME)).status).toBe(404);
  expect((await t.http.get('/nowhere/at/all')).status).toBe(404);

  const text = await scrape();
  const count = (labels: Record<string, string>) =>
    promValue(text, 'inferq_http_request_duration_seconds_count', labels);
  expect(count({ method: 'POST', route: '/v1/jobs', status: '202' })).toBe(2);
  expect(count({ method: 'GET', route: '/v1/jobs/{id}', status: '200' })).toBe(1);
  expect(count({ method: 'GET', route: '/v1/jobs/{id}', status: '404' })).toBe(1);
  expect(count({ method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
  expect(promValue(text, 'inferq_jobs_submitted_total', { model: 'sim/echo' })).toBe(2);
  // No worker runs here, so both jobs wait in the default pool's backlogs (none reached BullMQ);
  // the catalog's gpu pool and the webhook queue are empty.
  expect(promValue(text, 'inferq_pool_queued_jobs', { pool: 'default', priority: 'normal' })).toBe(2);
  expect(promValue(text, 'inferq_pool_queued_jobs', { pool: 'default', priority: 'high' })).toBe(0);
  expect(promValue(text, 'inferq_pool_queued_jobs', { pool: 'gpu', priority: 'normal' })).toBe(0);
  expect(promValue(text, 'inferq_pool_oldest_queued_seconds', { pool: 'default' })).toBeGreaterThanOrEqual(0);
  expect(promValue(text, 'inferq_queue_jobs', { queue: 'pool-default', state: 'prioritized' })).toBe(0);
  expect(promValue(text, 'inferq_queue_jobs', { queue: 'pool-gpu', state: 'waiting' })).toBe(0);
  expect(promValue(text, 'inferq_queue_jobs', { queue: 'webhooks', state: 'waiting' })).toBe(0);
  for (const id of ids) expect(text).not.toContain(id);
  expect(text).not.toContain('acme');
  expect(text).not.toContain('/nowhere');
});

it('refuses /metrics without the METRICS_TOKEN', async () => {
  const res = await t.http.get('/metrics');
  expect(res.status).toBe(401);
  expect(res.body).toMatchObject({ error: { code: 'unauthorized' } });
});

it('lists live workers at GET /v1/admin/workers, for the admin token only', async () => {
  const redis = createRedis(testRedisUrl(), 'blocking');
  try {
    const now = new Date().toISOString();
    const beat = {
      id: 'gpu-1-42-abc',
      host: 'gpu-1',
      pid: 42,
      pools: ['gpu'],
      concurrency: 8,
      in_flight: 3,
      version: '0.1.0',
      started_at: now,
      last_heartbeat_at: now,
    };
    const fleet = new WorkerRegistry(redis, t.prefix);
    await fleet.beat(beat, 15_000);
    await fleet.beat({ ...beat, id: 'gone-1' }, 1);
    await new Promise((r) => setTimeout(r, 20)); // let the 1 ms record expire
    const res = await t.http.get('/v1/admin/workers').set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [beat] });
    expect((await t.http.get('/v1/admin/workers').set(AUTH_ACME)).status).toBe(401);
    expect((await t.http.get('/v1/admin/workers')).status).toBe(401);
  } finally {
    redis.disconnect();
  }
});
