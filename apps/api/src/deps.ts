import type { Logger, ModelCatalog } from '@inferq/core';
import type { createRedis, JobStore, PoolQueues } from '@inferq/store';
import type { Authenticator } from './auth';
import type { ApiConfig } from './env';
import type { JobWatcher } from './job-watcher';

export type RedisClient = ReturnType<typeof createRedis>;

/** Everything the handlers and the adapter use, wired once by startApi (or a test). */
export interface ApiDeps {
  config: ApiConfig;
  /** Fail-fast connection for the request path (`request` role). */
  redis: RedisClient;
  store: JobStore;
  queues: PoolQueues;
  watcher: JobWatcher;
  catalog: ModelCatalog;
  /** Tenant keys; bootstrap keys today, a Redis key store later. */
  authenticator: Authenticator;
  logger: Logger;
}
