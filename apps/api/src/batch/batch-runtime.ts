import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Logger } from '@inferq/core';
import { BatchRunStore, BatchStore, FileStore, tokensToday } from '@inferq/store';
import type { ApiDeps, RedisClient } from '../deps';
import type { ApiConfig } from '../env';
import { takeOutOfQueue } from '../handlers/cancel-own-job';
import { submitJob } from '../handlers/submit-job';
import { DEFAULT_RUNNER_OPTIONS } from './batch-context';
import type { BatchContext, BatchRunnerOptions } from './batch-context';
import { registerBatchMetrics } from './batch-metrics';
import type { BatchMetrics } from './batch-metrics';
import { BatchRunner } from './batch-runner';
import type { BatchRuntime } from './batch-runtime.types';

type BatchConfig = Pick<ApiConfig, 'QUEUE_PREFIX' | 'JOB_RETENTION' | 'MAX_BODY_BYTES'>;

export function createBatchRuntime(
  redis: RedisClient,
  config: BatchConfig,
  logger: Logger,
  opts: Partial<BatchRunnerOptions> = {},
): BatchRuntime<ApiDeps> {
  const files = new FileStore(redis, config.QUEUE_PREFIX, config.JOB_RETENTION);
  const batches = new BatchStore(redis, config.QUEUE_PREFIX);
  const runs = new BatchRunStore(redis, config.QUEUE_PREFIX, config.JOB_RETENTION);
  let runner: BatchRunner | undefined;
  let metrics: BatchMetrics | undefined;
  return {
    files,
    batches,
    runs,
    start(deps) {
      const ctx: BatchContext = {
        batches,
        runs,
        files,
        jobs: deps.store,
        queues: deps.queues,
        takeOutOfQueue: (job) => takeOutOfQueue(deps, job),
        watcher: deps.watcher,
        catalog: deps.catalog,
        logger: logger.child({ component: 'batch-runner' }),
        owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
        maxLineChars: config.MAX_BODY_BYTES,
        opts: { ...DEFAULT_RUNNER_OPTIONS, ...opts },
        // The submit path of POST /v1/jobs, without its admission: batch jobs count against neither the queue cap nor the rate limit.
        submit: async (tenant, request, model, id) => {
          await submitJob(deps, tenant, request, model, Promise.resolve(), id);
        },
        overBudget: async (tenant) => {
          const { daily_token_budget: budget } = await deps.tenancy.limits.effective(tenant);
          if (budget === null) return undefined;
          const used = await tokensToday(redis, deps.store.keys, tenant, deps.catalog.pools());
          return used >= budget ? `Daily token budget of ${budget} used up (${used} tokens today, UTC).` : undefined;
        },
        ended: (status) => metrics?.ended(status),
      };
      runner = new BatchRunner(ctx);
      runner.start();
    },
    wake: () => runner?.wake(),
    registerMetrics(registry) {
      metrics = registerBatchMetrics(registry, runs, () => runner?.queuedByPool() ?? new Map<string, number>());
    },
    close: async () => runner?.close(),
  };
}
