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
