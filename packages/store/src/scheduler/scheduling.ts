import type { RedisClient } from '../redis';
import type { JobStore } from '../job-store';
import type { PoolQueues } from '../pool-queues';
import { Enqueuer } from '../enqueue';
import { PoolScheduler } from './pool-scheduler';
import { Promotion } from './promotion';

export interface Scheduling {
  scheduler: PoolScheduler;
  promotion: Promotion;
  enqueuer: Enqueuer;
}

/** The scheduler, what carries out its picks, and the enqueuer in front of it, over one connection. */
export function createScheduling(
  redis: RedisClient,
  prefix: string,
  store: JobStore,
  queues: PoolQueues,
  onError: (err: unknown) => void = () => undefined,
): Scheduling {
  const scheduler = new PoolScheduler(redis, prefix);
  const promotion = new Promotion(store, queues, scheduler);
  return { scheduler, promotion, enqueuer: new Enqueuer(store, promotion, onError) };
}
