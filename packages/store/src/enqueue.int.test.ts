import { JobRequest, newJobId, schedulerKeys } from '@inferq/core';
import { describeOnTargets, dropPrefix, testPrefix } from '@inferq/testkit';
import type { RedisTargetInfo } from '@inferq/testkit';
import { Enqueuer, enqueueNewJob } from './enqueue';
import { JobStore } from './job-store';
import { PoolQueues } from './pool-queues';
import { PoolScheduler } from './scheduler/pool-scheduler';
import { Promotion } from './scheduler/promotion';
import { createRedis } from './redis';
import type { RedisClient } from './redis';

const prefix = testPrefix('enqueue');
let target: RedisTargetInfo;
let redis: RedisClient;
let store: JobStore;
let queues: PoolQueues;
const request = JobRequest.parse({ model: 'sim/echo', input: { prompt: 'atomic' }, priority: 'high' });

// On standalone Redis and on the run's 3-master cluster (jest's global setup starts it).
describeOnTargets('the enqueue transaction', (on) => {
  beforeAll(async () => {
    target = await on.ready();
    redis = createRedis(target.connection, 'blocking');
    store = new JobStore(redis, { prefix, retentionMs: 60_000 });
    queues = new PoolQueues(redis, prefix);
  });
  afterAll(async () => {
    await queues.close();
    redis?.disconnect();
    await dropPrefix(prefix, target);
  });

  // Its own pool: the jobs stay in its backlog, out of the way of the other tests' picks.
  it('writes one turn’s records of a pool in one create call', async () => {
    const promotion = new Promotion(store, queues, new PoolScheduler(redis, prefix));
    const enqueuer = new Enqueuer(store, promotion, undefined, true);
    const creates = jest.spyOn(store, 'appendCreates');
    const jobs = ['v', 'v', 'w'].map((tenant) => ({ id: newJobId('bulk'), tenant, pool: 'bulk', request }));
    await Promise.all(jobs.map((job) => enqueuer.enqueue({ ...job, createdAt: Date.now() })));
    expect(creates).toHaveBeenCalledTimes(1);
    creates.mockRestore();
    const records = await Promise.all(jobs.map((job) => store.get(job.id)));
    expect(records.map((r) => r?.record.status)).toEqual(['queued', 'queued', 'queued']);
    expect([await store.activeCount('v', ['bulk']), await store.activeCount('w', ['bulk'])]).toEqual([2, 1]);
  });

  // Its own pools too. The create script fails part-way, after the records: at the second tenant's index (its
  // ZADD, before any count), or at its counter (its INCRBY, after the first tenant's count was taken).
  it.each([
    ['torn-index', 'tenantJobs'],
    ['torn-count', 'tenantActive'],
  ] as const)(
    '%s: takes back exactly what a create that failed part-way wrote: no count below the true one',
    async (pool, poisoned) => {
      const scheduler = new PoolScheduler(redis, prefix);
      const errors: unknown[] = [];
      const enqueuer = new Enqueuer(store, new Promotion(store, queues, scheduler), (e) => errors.push(e), true);
      const submit = (tenant: string) => ({ id: newJobId(pool), tenant, pool, createdAt: Date.now(), request });
      const kept = submit('x');
      await enqueuer.enqueue(kept);
      await redis.set(store.keys[poisoned]('y', pool), 'neither a zset nor a number');
      const torn = [submit('x'), submit('y'), submit('x')];
      const outcomes = await Promise.allSettled(torn.map((job) => enqueuer.enqueue(job)));
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
      // x still has its one queued job: a cap on x counts it.
      expect(await store.activeCount('x', [pool])).toBe(1);
      expect(await redis.get(store.keys[poisoned]('y', pool))).toBe('neither a zset nor a number');
      expect(await Promise.all(torn.map((job) => store.get(job.id)))).toEqual([undefined, undefined, undefined]);
      expect((await store.list('x', [pool], { limit: 10 })).data.map((r) => r.id)).toEqual([kept.id]);
      // Nor do they wait in the backlogs for a slot.
      for (const job of torn) expect(await scheduler.position(pool, job.id, 0, job.tenant)).toBeUndefined();
      expect(await scheduler.position(pool, kept.id, 0, 'x')).toBe(0);
      // The clean-up itself went through, the wrong-typed key notwithstanding.
      expect(errors).toEqual([]);
    },
  );

  it('a create call that fails at a later tenant’s counter takes back the earlier counts, indexes and records', async () => {
    const pool = 'torn-create';
    await redis.set(store.keys.tenantActive('y', pool), 'not a number');
    const jobs = ['x', 'x', 'y'].map((tenant) => ({
      id: newJobId(pool),
      tenant,
      pool,
      createdAt: Date.now(),
      request,
    }));
    const [[err]] = (await store.appendCreates(store.transaction(), jobs).exec()) ?? [[null]];
    expect(String(err)).toMatch(/not an integer/);
    expect(await redis.get(store.keys.tenantActive('x', pool))).toBe('0');
    expect(await redis.exists(store.keys.tenantJobs('x', pool), store.keys.tenantJobs('y', pool))).toBe(0);
    expect(await redis.exists(jobs.flatMap((j) => [store.keys.job(j.id), store.keys.jobPayload(j.id)]))).toBe(0);
  });

  it('releases a discarded job once, and only while it still counts (queued or running)', async () => {
    const pool = 'discard';
    const enqueuer = new Enqueuer(store, new Promotion(store, queues, new PoolScheduler(redis, prefix)));
    const jobs = ['z', 'z', 'z'].map((tenant) => ({
      id: newJobId(pool),
      tenant,
      pool,
      createdAt: Date.now(),
      request,
    }));
    await Promise.all(jobs.map((job) => enqueuer.enqueue(job)));
    const [queued, ended, other] = jobs;
    expect((await store.cancel(ended.id, 'z')).kind).toBe('written');
    await store.discard([queued, ended, queued, { id: newJobId(pool), tenant: 'z' }]);
    await store.discard([queued]);
    expect(await store.activeCount('z', [pool])).toBe(1);
    expect(await store.get(queued.id)).toBeUndefined();
    expect((await store.get(other.id))?.record.status).toBe('queued');
  });

  describe('enqueueNewJob', () => {
    it('writes the record and the pool job together', async () => {
      const id = newJobId('default');
      await enqueueNewJob(store, queues, { id, tenant: 't', pool: 'default', createdAt: Date.now(), request });
      expect((await store.get(id))?.record.status).toBe('queued');
      // In its tenant's backlog until a worker states capacity; then handed to BullMQ.
      const scheduler = new PoolScheduler(redis, prefix);
      expect(await scheduler.position('default', id, 0, 't')).toBe(0);
      expect(await store.activeCount('t', ['default'])).toBe(1);
      await queues.addPromoted('default', (await scheduler.capacity('default', 'w', 1, 60_000)).promoted);
      const job = await queues.get('default').getJob(id);
      expect(job?.data).toEqual({
        id,
        tenant: 't',
        model: 'sim/echo',
        level: 0,
        estimate: expect.any(Number),
        weight: 1,
      });
      // A standard job, FIFO in the order the scheduler handed it over: no BullMQ priority sorts it again.
      expect(job?.opts.priority).toBeUndefined();
      expect(await job?.getState()).toBe('waiting');
    });

    it('leaves neither behind when the scheduler half of the transaction fails', async () => {
      const id = newJobId('default');
      // A key of the wrong type where the scheduler keeps the backlog makes its script fail inside the MULTI.
      await redis.set(schedulerKeys(prefix, 'default').backlog(0, 'u'), 'not a zset');
      await expect(
        enqueueNewJob(store, queues, { id, tenant: 'u', pool: 'default', createdAt: Date.now(), request }),
      ).rejects.toThrow();
      expect(await store.get(id)).toBeUndefined();
      expect(await store.activeCount('u', ['default'])).toBe(0);
      expect((await store.list('u', ['default'], { limit: 10 })).data).toHaveLength(0);
    });
  });
});
