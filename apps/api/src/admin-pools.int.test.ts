import { PoolBacklogList } from '@inferq/core';
import type { PoolBacklog } from '@inferq/core';
import { AUTH_ACME, AUTH_GLOBEX, startTestApi, validJob } from './test/harness';
import type { TestApi } from './test/harness';

// GET /v1/admin/pools: each catalog pool's fair-scheduler backlog, over real Redis and real HTTP.
// No worker runs here, so jobs of the default pool stay in their tenants' backlogs.
const ADMIN_TOKEN = 'admin_token_for_the_pools_test_0123';
const AUTH_ADMIN = { Authorization: `Bearer ${ADMIN_TOKEN}` };
let t: TestApi;

beforeAll(async () => {
  t = await startTestApi('adminpools', { ADMIN_TOKEN });
});
afterAll(() => t.close());

async function pools(): Promise<Map<string, PoolBacklog>> {
  const res = await t.http.get('/v1/admin/pools').set(AUTH_ADMIN);
  expect(res.status).toBe(200);
  return new Map(PoolBacklogList.parse(res.body).data.map((p) => [p.pool, p]));
}

const submit = async (auth: Record<string, string>, body: object) => {
  const res = await t.http.post('/v1/jobs').set(auth).send(body);
  expect(res.status).toBe(202);
  return res.body.id as string;
};

it('refuses tenants and anonymous callers', async () => {
  for (const headers of [{}, AUTH_ACME, { Authorization: 'Bearer wrong_admin_token_0123456789' }]) {
    const res = await t.http.get('/v1/admin/pools').set(headers);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: { code: 'unauthorized' } });
  }
});

it('lists every catalog pool, empty ones too', async () => {
  const all = await pools();
  expect([...all.keys()].sort()).toEqual(['default', 'gpu']);
  expect(all.get('gpu')).toEqual({
    pool: 'gpu',
    capacity: 0,
    in_flight: 0,
    queued: { high: 0, normal: 0, low: 0 },
    oldest_queued_s: null,
    tenants: [],
  });
});

it("shows each tenant's backlog by priority, with its weight, in order of service", async () => {
  await t.http.put('/v1/admin/tenants/acme/limits').set(AUTH_ADMIN).send({ weight: 3 }).expect(200);
  for (let i = 0; i < 3; i++) await submit(AUTH_ACME, validJob);
  await submit(AUTH_GLOBEX, { ...validJob, priority: 'high' });
  await submit(AUTH_GLOBEX, { ...validJob, priority: 'low' });

  const p = (await pools()).get('default');
  expect(p).toMatchObject({ capacity: 0, in_flight: 0, queued: { high: 1, normal: 3, low: 1 } });
  expect(p?.tenants.map((b) => [b.tenant, b.priority, b.queued, b.weight])).toEqual([
    ['globex', 'high', 1, 1],
    ['acme', 'normal', 3, 3],
    ['globex', 'low', 1, 1],
  ]);
  const acme = p?.tenants[1];
  // acme's first job was submitted before the others: the pool's oldest wait is its wait.
  expect(acme?.oldest_queued_s).toBeGreaterThanOrEqual(0);
  expect(acme?.oldest_queued_s).toBeLessThan(60);
  expect(p?.oldest_queued_s).toBe(Math.max(...(p?.tenants ?? []).map((b) => b.oldest_queued_s ?? 0)));
  expect(p?.tenants.every((b) => b.virtual_time >= 0)).toBe(true);
});

it('shows capacity and jobs in flight once a worker states its slots', async () => {
  await t.scheduler.capacity('gpu', 'gpu-worker-1', 4, 60_000);
  const id = await submit(AUTH_GLOBEX, { model: 'local/llama', input: { prompt: 'hi' } });
  const gpu = (await pools()).get('gpu');
  // A free slot: the submit handed the job over at once, so nothing waits in a backlog.
  expect(gpu).toMatchObject({ capacity: 4, in_flight: 1, queued: { high: 0, normal: 0, low: 0 }, tenants: [] });
  expect(gpu?.oldest_queued_s).toBeNull();
  expect((await t.scheduler.inflight('gpu')).map((j) => j.id)).toEqual([id]);
});
