import { Worker } from 'bullmq';
import { newJobId } from '@inferq/core';
import { describeOnTargets, dropPrefix, testPrefix } from '@inferq/testkit';
import type { RedisTargetInfo } from '@inferq/testkit';
import { JobStore } from './job-store';
import { PoolQueues, poolJobOptions } from './pool-queues';
import { createRedis } from './redis';
import type { RedisClient } from './redis';
import { createScheduling } from './scheduler/scheduling';
import { SchedulerUpkeep } from './scheduler/scheduler-upkeep';

const prefix = testPrefix('pool-queues');
let target: RedisTargetInfo;
let redis: RedisClient;
let queues: PoolQueues;

/** Adds `n` pool jobs as the hand-over does and completes them as a worker does; their ids. */
async function completed(pool: string, n: number): Promise<string[]> {
  const q = queues.get(pool);
  const ids = Array.from({ length: n }, () => newJobId(pool));
  await q.addBulk(
    ids.map((id) => ({ name: 'infer', data: { id, tenant: 't1', model: 'sim/echo' }, opts: poolJobOptions(id, 1) })),
  );
  const worker = new Worker(q.name, null, { connection: redis, prefix: q.opts.prefix });
  try {
    for (let i = 0; i < n; i++)
      await (await worker.getNextJob('t', { block: false }))?.moveToCompleted('ok', 't', false);
  } finally {
    await worker.close(true);
  }
  return ids;
}

// On standalone Redis and on the run's 3-master cluster (jest's global setup starts it).
describeOnTargets('pool queues', (on) => {
  beforeAll(async () => {
    target = await on.ready();
    redis = createRedis(target.connection, 'blocking');
    queues = new PoolQueues(redis, prefix);
  });
  afterAll(async () => {
    await queues.close();
    await dropPrefix(prefix, target);
    redis?.disconnect();
  });

  it('keeps completed jobs for Bull Board until removeCompleted takes those past their time, in batches', async () => {
    const pool = 'kept';
    const ids = await completed(pool, 3);
    // Completing trims nothing: every job is still there, listed as completed.
    expect(await queues.get(pool).getCompletedCount()).toBe(3);
    expect(await queues.removeCompleted(pool, 60_000)).toBe(0);
    expect(await queues.has(pool, ids[0])).toBe(true);
    await new Promise((r) => setTimeout(r, 5));
    expect(await queues.removeCompleted(pool, 0, 2)).toBe(3);
    expect(await queues.get(pool).getCompletedCount()).toBe(0);
    for (const id of ids) expect(await queues.has(pool, id)).toBe(false);
  });

  it("is a worker's upkeep duty over its pools", async () => {
    const store = new JobStore(redis, { prefix, retentionMs: 60_000 });
    const { promotion } = createScheduling(redis, prefix, store, queues);
    const upkeep = (keepCompletedMs: number) =>
      new SchedulerUpkeep(promotion, queues, store, {
        pools: ['a', 'b'],
        slots: 0,
        worker: 'test',
        keepCompletedMs,
        onError: (err) => {
          throw err;
        },
      });
    await completed('a', 2);
    await completed('b', 1);
    expect(await upkeep(60_000).removeCompleted()).toBe(0);
    await new Promise((r) => setTimeout(r, 5));
    expect(await upkeep(0).removeCompleted()).toBe(3);
  });
});
