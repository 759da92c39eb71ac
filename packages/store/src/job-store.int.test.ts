import { JobRequest, newJobId } from '@inferq/core';
import { describeOnTargets, dropPrefix, testPrefix } from '@inferq/testkit';
import type { RedisTargetInfo } from '@inferq/testkit';
import { createRedis } from './redis';
import type { RedisClient } from './redis';
import { JobStore } from './job-store';

const prefix = testPrefix('store');
let target: RedisTargetInfo;
let redis: RedisClient;
let store: JobStore;

const request = JobRequest.parse({ model: 'sim/echo', input: { prompt: 'hi there' }, metadata: { order: 'A-17' } });

async function newJob(tenant = 't1'): Promise<string> {
  const id = newJobId('default');
  await store.create({ id, tenant, pool: 'default', createdAt: Date.now(), request });
  return id;
}

// On standalone Redis and on the run's 3-master cluster (jest's global setup starts it).
describeOnTargets('job records', (on) => {
  beforeAll(async () => {
    target = await on.ready();
    redis = createRedis(target.connection, 'blocking');
    store = new JobStore(redis, { prefix, retentionMs: 60_000 });
  });
  afterAll(async () => {
    await dropPrefix(prefix, target);
    redis?.disconnect();
  });

  describe('JobStore', () => {
    it('creates a queued record that reads back with defaults applied', async () => {
      const id = await newJob();
      const job = await store.get(id);
      expect(job?.tenant).toBe('t1');
      expect(job?.record).toMatchObject({
        id,
        status: 'queued',
        model: 'sim/echo',
        attempts: 0,
        output: null,
        metadata: { order: 'A-17' },
      });
      expect(await store.input(id)).toMatchObject({ timeout_s: 600, max_attempts: 3, input: { prompt: 'hi there' } });
    });

    it('runs a job to success once and refuses every later transition', async () => {
      const id = await newJob();
      expect((await store.start(id, 1)).kind).toBe('started');
      const ok = await store.succeed(id, 't1', {
        output: { text: 'a', finish_reason: 'stop' },
        usage: { input_tokens: 1, output_tokens: 1 },
        ttftMs: 5,
      });
      expect(ok).toEqual({ kind: 'written', previous: 'running' });
      const again = await store.succeed(id, 't1', {
        output: { text: 'b', finish_reason: 'stop' },
        usage: { input_tokens: 1, output_tokens: 1 },
        ttftMs: 5,
      });
      expect(again).toEqual({ kind: 'terminal', current: 'succeeded' });
      expect((await store.cancel(id, 't1')).kind).toBe('terminal');
      expect((await store.start(id, 2)).kind).toBe('terminal');
      const rec = (await store.get(id))!.record;
      expect(rec.output?.text).toBe('a');
      expect(rec.timings.ttft_ms).toBe(5);
      expect(rec.timings.queue_ms).toBeGreaterThanOrEqual(0);
      expect(await redis.pttl(store.keys.job(id))).toBeGreaterThan(0);
    });

    it('keeps the first start time across attempts', async () => {
      const id = await newJob();
      await store.start(id, 1, 1_000);
      await store.requeue(id, { code: 'provider_unavailable', message: 'x', retryable: true });
      await store.start(id, 2, 5_000);
      const h = await redis.hmget(store.keys.job(id), 'first_started_at', 'started_at', 'attempts');
      expect(h).toEqual(['1000', '5000', '2']);
    });

    it('lets exactly one of many concurrent terminal writes win', async () => {
      const id = await newJob();
      await store.start(id, 1);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          i % 2
            ? store.cancel(id, 't1')
            : store.succeed(id, 't1', {
                output: { text: String(i), finish_reason: 'stop' },
                usage: { input_tokens: 0, output_tokens: 0 },
                ttftMs: null,
              }),
        ),
      );
      expect(results.filter((r) => r.kind === 'written')).toHaveLength(1);
      const events = await redis.xrange(store.keys.jobEvents(id), '-', '+');
      expect(events.filter(([, f]) => f[1] === 'done')).toHaveLength(1);
    });

    it('requeues a running job for a retry but never a terminal one', async () => {
      const id = await newJob();
      await store.start(id, 1);
      const err = { code: 'provider_unavailable' as const, message: 'x', retryable: true };
      expect(await store.requeue(id, err)).toBe(true);
      expect((await store.get(id))!.record.status).toBe('queued');
      await store.start(id, 2);
      expect((await store.get(id))!.record.attempts).toBe(2);
      await store.fail(id, 't1', err);
      expect(await store.requeue(id, err)).toBe(false);
    });

    it('hides other tenants and missing jobs alike', async () => {
      const id = await newJob('t2');
      await expect(store.getForTenant(id, 't1')).rejects.toMatchObject({ code: 'not_found' });
      // A well-formed id of no job (the routes refuse malformed ids before the store sees them).
      await expect(store.getForTenant(newJobId('default'), 't1')).rejects.toMatchObject({ code: 'not_found' });
      // An id that names no pool names no job, on a cluster too (no cross-slot read of a legacy key).
      await expect(store.getForTenant('job_01M8Q82MNHFB05XYJSDW0V7BW4', 't1')).rejects.toMatchObject({
        code: 'not_found',
      });
    });

    it('lists newest first with a cursor and a status filter', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await newJob('lister'));
      await store.cancel(ids[1], 'lister');
      const p1 = await store.list('lister', ['default'], { limit: 2 });
      expect(p1.data.map((r) => r.id)).toEqual([ids[4], ids[3]]);
      const p2 = await store.list('lister', ['default'], { limit: 2, cursor: p1.next_cursor! });
      expect(p2.data.map((r) => r.id)).toEqual([ids[2], ids[1]]);
      const p3 = await store.list('lister', ['default'], { limit: 2, cursor: p2.next_cursor! });
      expect(p3).toEqual({ data: [expect.objectContaining({ id: ids[0] })], next_cursor: null });
      const canceled = await store.list('lister', ['default'], { limit: 10, status: 'canceled' });
      expect(canceled.data.map((r) => r.id)).toEqual([ids[1]]);
    });
  });

  describe('JobStore side effects of transitions', () => {
    it('counts active jobs, daily usage per model and webhook outbox events atomically', async () => {
      const tenant = `side-${Date.now()}`;
      const withHook = JobRequest.parse({
        model: 'sim/echo',
        input: { prompt: 'x' },
        webhook: { url: 'https://example.com/h' },
      });
      const a = newJobId('default');
      const b = newJobId('default');
      await store.create({ id: a, tenant, pool: 'default', createdAt: Date.now(), request: withHook });
      await store.create({ id: b, tenant, pool: 'default', createdAt: Date.now(), request });
      expect(await store.activeCount(tenant, ['default'])).toBe(2);

      await store.start(a, 1);
      await store.succeed(a, tenant, {
        output: { text: 'x', finish_reason: 'stop' },
        usage: { input_tokens: 3, output_tokens: 5 },
        ttftMs: 1,
      });
      await store.cancel(b, tenant);
      await store.cancel(b, tenant); // refused: must not count twice
      expect(await store.activeCount(tenant, ['default'])).toBe(0);

      const usage = await redis.hgetall(store.keys.usage(tenant, new Date().toISOString().slice(0, 10), 'default'));
      expect(usage).toEqual({ 'sim/echo|jobs': '2', 'sim/echo|input_tokens': '3', 'sim/echo|output_tokens': '5' });
      // Usage is kept for 400 days, set with the day's first job.
      const ttlDays =
        (await redis.pttl(store.keys.usage(tenant, new Date().toISOString().slice(0, 10), 'default'))) / 86_400_000;
      expect(ttlDays).toBeGreaterThan(399);
      expect(ttlDays).toBeLessThanOrEqual(400);

      const outbox = await redis.xrange(store.keys.webhookOutbox('default'), '-', '+');
      const mine = outbox.map(([, f]) => f).filter((f) => f[1] === a);
      expect(mine.map((f) => f[3])).toEqual(['running', 'succeeded']);
      expect(outbox.some(([, f]) => f[1] === b)).toBe(false);
    });
  });
});
