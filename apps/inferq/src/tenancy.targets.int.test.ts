import { describeOnTargets } from '@inferq/testkit';
import { IDLE_MODEL, startTargetStack } from './test/target-stack';
import type { TargetStack } from './test/target-stack';

/**
 * Tenancy and fair scheduling through the running system, once on standalone
 * Redis and once on a local 3-master Redis Cluster (SPEC sections 8, 9, 12).
 */
jest.setTimeout(60_000);

const echo = (prompt: string) => ({ model: 'sim/echo', input: { prompt } });
const idle = { model: IDLE_MODEL, input: { prompt: 'wait here' } };
const today = () => new Date().toISOString().slice(0, 10);

describeOnTargets('tenancy and scheduling', (target) => {
  let s: TargetStack;
  beforeAll(async () => {
    s = await startTargetStack(target, 'tenancy');
  });
  afterAll(() => s?.close());

  it("keeps each tenant's jobs to its own key", async () => {
    const id = await s.submit('acme', echo('mine only'));
    expect((await s.call('globex', 'GET', `/v1/jobs/${id}`)).status).toBe(404);
    expect((await s.call('globex', 'POST', `/v1/jobs/${id}/cancel`)).status).toBe(404);
    await s.until('acme', id, 'succeeded');
    const list = await s.call('acme', 'GET', '/v1/jobs?limit=100');
    expect((list.body.data as { id: string }[]).map((r) => r.id)).toContain(id);
    // Ids of no job, of any shape (an id without a pool, a pool that does not exist): 404 like another tenant's.
    for (const missing of ['job_01ARZ3NDEKTSV4RRFFQ69G5FAV', `${id.slice(0, -7)}nopool`, 'not-a-job-id']) {
      expect((await s.call('globex', 'GET', `/v1/jobs/${missing}`)).status).toBe(404);
      expect((await s.call('globex', 'POST', `/v1/jobs/${missing}/cancel`)).status).toBe(404);
      expect((await s.call('globex', 'GET', `/v1/jobs/${missing}/events`)).status).toBe(404);
      expect((await s.call('globex', 'POST', `/v1/jobs/${missing}/webhook/redeliver`)).status).toBe(404);
    }
    const other = await s.call('globex', 'GET', '/v1/jobs?limit=100');
    expect((other.body.data as { id: string }[]).map((r) => r.id)).not.toContain(id);
  });

  it('replays a submission with the same Idempotency-Key, and refuses another body under it', async () => {
    const key = { 'idempotency-key': 'order-42' };
    const first = await s.call('acme', 'POST', '/v1/jobs', echo('once'), key);
    expect(first.status).toBe(202);
    const again = await s.call('acme', 'POST', '/v1/jobs', echo('once'), key);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect((await s.call('acme', 'POST', '/v1/jobs', echo('twice'), key)).status).toBe(422);
    expect((await s.call('globex', 'POST', '/v1/jobs', echo('once'), key)).body.id).not.toBe(first.body.id);
  });

  it('sets, shows and clears per-tenant limits, and answers 429 queue_full past max_queued', async () => {
    const put = await s.call('admin', 'PUT', '/v1/admin/tenants/initech/limits', { max_queued: 2 });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ tenant: 'initech', limits: { max_queued: 2 }, overrides: { max_queued: 2 } });
    const ids = [await s.submit('initech', idle), await s.submit('initech', idle)];
    const full = await s.call('initech', 'POST', '/v1/jobs', idle);
    expect(full.status).toBe(429);
    expect(full.body).toMatchObject({ error: { code: 'queue_full' } });
    // A canceled job frees its place at once.
    expect((await s.call('initech', 'POST', `/v1/jobs/${ids[0]}/cancel`)).status).toBe(200);
    ids.push(await s.submit('initech', idle));
    expect((await s.call('admin', 'PUT', '/v1/admin/tenants/initech/limits', { max_queued: null })).status).toBe(200);
    const got = await s.call('admin', 'GET', '/v1/admin/tenants/initech/limits');
    expect(got.status).toBe(200);
    expect(got.body.overrides).toEqual({});
    for (const id of ids) await s.call('initech', 'POST', `/v1/jobs/${id}/cancel`);
  });

  it('answers 429 rate_limited past a tenant rate limit set at run time', async () => {
    expect((await s.call('admin', 'PUT', '/v1/admin/tenants/umbrella/limits', { rate_limit_rpm: 3 })).status).toBe(200);
    const replies = [];
    for (let i = 0; i < 4; i++) replies.push(await s.call('umbrella', 'GET', '/v1/models'));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(replies[3]?.body).toMatchObject({ error: { code: 'rate_limited' } });
    expect(Number(replies[3]?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await s.call('acme', 'GET', '/v1/models')).status).toBe(200);
  });

  it("counts a finished job's tokens in the tenant's usage", async () => {
    const rec = await s.until('initech', await s.submit('initech', echo('count these tokens')), 'succeeded');
    const res = await s.call('initech', 'GET', `/v1/usage?from=${today()}&to=${today()}`);
    expect(res.status).toBe(200);
    const row = (res.body.data as { model: string; jobs: number; output_tokens: number }[]).find(
      (r) => r.model === 'sim/echo',
    );
    expect(row?.jobs).toBeGreaterThanOrEqual(1);
    expect(row?.output_tokens).toBeGreaterThanOrEqual(rec.usage?.output_tokens ?? 1);
  });

  it('orders two weighted tenants on one pool fairly, as the admin pools endpoint shows', async () => {
    expect((await s.call('admin', 'PUT', '/v1/admin/tenants/acme/limits', { weight: 3 })).status).toBe(200);
    const ids = { acme: [] as string[], globex: [] as string[] };
    for (let i = 0; i < 3; i++) ids.acme.push(await s.submit('acme', idle));
    ids.globex.push(await s.submit('globex', { ...idle, priority: 'high' }));
    ids.globex.push(await s.submit('globex', idle));
    const res = await s.call('admin', 'GET', '/v1/admin/pools');
    expect(res.status).toBe(200);
    type Backlog = { tenant: string; priority: string; queued: number; weight: number };
    const pool = (res.body.data as { pool: string; queued: object; tenants: Backlog[] }[]).find(
      (p) => p.pool === 'idle',
    );
    expect(pool?.queued).toEqual({ high: 1, normal: 4, low: 0 });
    expect(pool?.tenants.map((b) => [b.tenant, b.priority, b.queued, b.weight])).toEqual([
      ['globex', 'high', 1, 1],
      ['acme', 'normal', 3, 3],
      ['globex', 'normal', 1, 1],
    ]);
    // Both tenants' jobs on the served pool still run to the end.
    const served = await Promise.all([s.submit('acme', echo('a one')), s.submit('globex', echo('g one'))]);
    await s.until('acme', served[0], 'succeeded');
    await s.until('globex', served[1], 'succeeded');
    for (const t of ['acme', 'globex'] as const)
      for (const id of ids[t]) await s.call(t, 'POST', `/v1/jobs/${id}/cancel`);
  });
});
