import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import { METRIC_PREFIX } from './registry';

/**
 * What the collector needs of a queue; a BullMQ `Queue` fits as is, so this
 * package does not depend on BullMQ.
 */
export interface DepthSource {
  readonly name: string;
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
}

export const QUEUE_STATES = [
  'waiting',
  'prioritized',
  'active',
  'delayed',
  'paused',
  'waiting-children',
  'completed',
  'failed',
] as const;

/**
 * `inferq_queue_jobs{queue,state}`, read from Redis at scrape time (no
 * background polling). Several processes export the same queues, so
 * dashboards aggregate with `max by (queue, state)`. A queue whose read fails
 * (Redis down) is left out of that scrape rather than reported stale.
 */
export function registerQueueDepth(registry: Registry, sources: () => DepthSource[]): Gauge<'queue' | 'state'> {
  return new Gauge({
    name: `${METRIC_PREFIX}queue_jobs`,
    help: 'Jobs in each BullMQ queue by state, read at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      const list = sources();
      // A queue Redis cannot answer is left out of this scrape (no series rather than a false 0); /readyz says why.
      const counts = await Promise.all(list.map((q) => q.getJobCounts(...QUEUE_STATES).catch(() => undefined)));
      this.reset();
      list.forEach((q, i) => {
        const c = counts[i];
        if (!c) return;
        for (const state of QUEUE_STATES) this.set({ queue: q.name, state }, c[state] ?? 0);
      });
    },
  });
}
