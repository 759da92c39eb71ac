import type { Logger, ModelCatalog } from '@inferq/core';
import type { createRedis, Enqueuer, JobStore, PoolQueues } from '@inferq/store';
import type { Authenticator } from './auth';
import type { BatchRuntime } from './batch/batch-runtime.types';
import type { ApiConfig } from './env';
import type { JobWatcher } from './job-watcher';
import type { Tenancy } from './tenancy/tenancy';

export type RedisClient = ReturnType<typeof createRedis>;

/** Everything the handlers and the adapter use, wired once by startApi (or a test). */
export interface ApiDeps {
  config: ApiConfig;
  /** Fail-fast connection for the request path (`request` role). */
  redis: RedisClient;
  store: JobStore;
  queues: PoolQueues;
  /** Coalesces concurrent submissions into one transaction (record + queue entry each). */
  enqueuer: Enqueuer;
  watcher: JobWatcher;
  catalog: ModelCatalog;
  /** Tenant keys: API_KEYS in memory, then the Redis key store (tenancy.authenticator). */
  authenticator: Authenticator;
  logger: Logger;
  /** API keys, per-tenant limits, rate limiter, idempotency and the response cache (issue #6). */
  tenancy: Tenancy;
  /** Files and batches, and the runner that drives batches (SPEC section 11, issue #15). */
  batch: BatchRuntime<ApiDeps>;
}
