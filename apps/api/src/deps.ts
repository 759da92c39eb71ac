import type { Logger, ModelCatalog, PayloadLimits } from '@inferq/core';
import type { createRedis, Enqueuer, JobStore, PoolQueues, PoolScheduler, Promotion } from '@inferq/store';
import type { PoolThroughput } from './pool-throughput';
import type { Authenticator } from './auth';
import type { BatchRuntime } from './batch/batch-runtime.types';
import type { ApiConfig } from './env';
import type { JobWatcher } from './job-watcher';
import type { Tenancy } from './tenancy/tenancy';

export type RedisClient = ReturnType<typeof createRedis>;

/** Everything the handlers and the adapter use, wired once by startApi (or a test). */
export interface ApiDeps {
  config: ApiConfig;
  /** Size caps from MAX_BODY_BYTES; every route that takes prompts applies them (jobs, chat, batch lines). */
  limits: PayloadLimits;
  /** Fail-fast connection for the request path (`request` role). */
  redis: RedisClient;
  store: JobStore;
  queues: PoolQueues;
  /** Coalesces concurrent submissions into one transaction (record + place in its tenant's backlog each). */
  enqueuer: Enqueuer;
  /** The pools' fair schedulers (SPEC section 9): backlogs, positions, cancels. */
  scheduler: PoolScheduler;
  /** Carries out scheduler picks (BullMQ adds, deadline failures). */
  promotion: Promotion;
  /** Each pool's recent rate of starts, for queue.eta_s. */
  throughput: PoolThroughput;
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
