import { Enqueuer, JobStore, PoolScheduler, Promotion, createRedis } from '@inferq/store';
import type { JobStoreOptions, PoolQueues } from '@inferq/store';
import type { RedisClient } from './deps';
import type { ApiConfig } from './env';

export interface EnqueueConnection {
  enqueuer: Enqueuer;
  /** The connection the enqueue's transactions run on (a `request` one: fails fast). */
  redis: RedisClient;
}

/**
 * The submit's transaction on a connection of its own. ioredis copies every
 * script defined on a connection onto each MULTI it builds: ~75 on the
 * request connection (BullMQ's and every store's), ~100 us per transaction
 * in a CPU profile of this api. This one carries only the record's and the scheduler's.
 * What the pool picks at once is still handed over (and deadline failures
 * written) through the shared connection's queues and store.
 */
export function createEnqueueConnection(
  config: ApiConfig,
  storeOptions: JobStoreOptions,
  shared: { store: JobStore; queues: PoolQueues },
  onError: (err: unknown) => void,
): EnqueueConnection {
  const redis = createRedis(config, 'request');
  const store = new JobStore(redis, storeOptions);
  const scheduler = new PoolScheduler(redis, config.QUEUE_PREFIX);
  const promotion = new Promotion(shared.store, shared.queues, scheduler);
  return { enqueuer: new Enqueuer(store, promotion, onError), redis };
}
