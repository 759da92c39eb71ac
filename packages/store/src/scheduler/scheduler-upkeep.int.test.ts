import { describeOnTargets, dropPrefix, testPrefix } from '@inferq/testkit';
import type { RedisTargetInfo } from '@inferq/testkit';
import { JobStore } from '../job-store';
import { PoolQueues } from '../pool-queues';
import { createRedis } from '../redis';
import type { RedisClient } from '../redis';
import { createScheduling } from './scheduling';
import { SchedulerUpkeep } from './scheduler-upkeep';

const prefix = testPrefix('sched-upkeep');
const POOL = 'legacy';

// On standalone Redis and on the run's 3-master cluster (each pool's keys in one slot).
describeOnTargets('SchedulerUpkeep.start', (on) => {
  let target: RedisTargetInfo;
  let redis: RedisClient;
  let queues: PoolQueues;
  let store: JobStore;

  beforeAll(async () => {
    target = await on.ready();
    redis = createRedis(target.connection, 'blocking');
    queues = new PoolQueues(redis, prefix);
    store = new JobStore(redis, { prefix, retentionMs: 60_000 });
  });
  afterAll(async () => {
    await queues.close();
    redis.disconnect();
    await dropPrefix(prefix, target);
  });

  async function startAndStop(): Promise<void> {
    const { promotion } = createScheduling(redis, prefix, store, queues);
    const errors: unknown[] = [];
    const upkeep = new SchedulerUpkeep(promotion, queues, store, {
      ...{ pools: [POOL], slots: 0, worker: 'test' },
      onError: (err) => errors.push(err),
    });
    await upkeep.start();
    await upkeep.stop();
    expect(errors).toEqual([]);
  }

  it('deletes the keys the scheduler kept before its state hash, and only those; a second start changes nothing', async () => {
    const { scheduler } = createScheduling(redis, prefix, store, queues);
    const k = scheduler.keys(POOL);
    // As a pool served before the upgrade left them: its capacity, picked count and levels' clocks.
    await redis.set(`${k.base}cap`, '4');
    await redis.set(`${k.base}picked`, '17');
    await redis.hset(k.saved, '0|', '12.5', '2|', '3', '0|acme', '7.25');
    await redis.hset(k.state, 'cap', '4', 'picked', '17');
    await startAndStop();
    expect(await redis.exists(`${k.base}cap`, `${k.base}picked`)).toBe(0);
    expect(await redis.hgetall(k.saved)).toEqual({ '0|acme': '7.25' });
    expect(await redis.hgetall(k.state)).toEqual({ cap: '4', picked: '17' });
    await startAndStop();
    expect(await redis.hgetall(k.saved)).toEqual({ '0|acme': '7.25' });
  });
});
