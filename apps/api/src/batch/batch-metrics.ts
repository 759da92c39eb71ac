import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import { BatchStatus } from '@inferq/core';
import type { BatchRunStore } from '@inferq/store';
import { METRIC_PREFIX } from '@inferq/telemetry';

export interface BatchMetrics {
  ended(status: string): void;
}

/**
 * `inferq_batches{status}`: batches not yet ended by status, read from Redis
 * at scrape time (equal on every api process); `inferq_batches_ended_total{status}`
 * counts the batches this process ended; `inferq_batch_requests_queued{pool}`:
 * queued jobs of the batches this process runs (sum over api processes).
 */
export function registerBatchMetrics(
  registry: Registry,
  runs: BatchRunStore,
  queuedByPool: () => Map<string, number>,
): BatchMetrics {
  new Gauge({
    name: `${METRIC_PREFIX}batches`,
    help: 'Batches not yet ended, by status, read from Redis at scrape time',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const statuses = await runs.activeStatuses().catch(() => undefined);
      if (!statuses) return;
      this.reset();
      for (const s of ['validating', 'in_progress', 'finalizing', 'cancelling'] as const) this.set({ status: s }, 0);
      for (const s of statuses) this.inc({ status: s });
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}batch_requests_queued`,
    help: 'Queued jobs of the batches this api process runs, by pool',
    labelNames: ['pool'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [pool, n] of queuedByPool()) this.set({ pool }, n);
    },
  });
  const ended = new Counter({
    name: `${METRIC_PREFIX}batches_ended_total`,
    help: 'Batches this api process ended, by final status',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  return {
    ended: (status) => {
      if (BatchStatus.safeParse(status).success) ended.inc({ status });
    },
  };
}
