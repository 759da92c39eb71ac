import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import { METRIC_PREFIX } from './registry';

/** What the gauges need of a pool's scheduler state (the store's PoolStats fits as is). */
export interface PoolBacklogSource {
  pool: string;
  backlogs: ReadonlyArray<{ level: number; queued: number; oldestAt: number | null }>;
}

const LEVEL_NAMES = ['high', 'normal', 'low'] as const;

/**
 * `inferq_pool_queued_jobs{pool,priority}` and
 * `inferq_pool_oldest_queued_seconds{pool}` (SPEC section 9), read from Redis
 * at scrape time, so every process that exports them reports the same values
 * (the KEDA query takes `max by (pool)`) and a pool with no worker still shows
 * its backlog. A pool whose read fails is left out of that scrape.
 */
export function registerPoolGauges(registry: Registry, read: () => Promise<PoolBacklogSource[]>): void {
  let last: Promise<PoolBacklogSource[]> | undefined;
  // Both gauges collect on the same scrape: one read serves them.
  const snapshot = () => (last ??= read().finally(() => setImmediate(() => (last = undefined))));
  new Gauge({
    name: `${METRIC_PREFIX}pool_queued_jobs`,
    help: "Jobs waiting in a pool's tenant backlogs, by priority, read at scrape time",
    labelNames: ['pool', 'priority'] as const,
    registers: [registry],
    async collect() {
      const pools = await snapshot();
      this.reset();
      for (const p of pools) {
        const counts = [0, 0, 0];
        for (const b of p.backlogs) counts[b.level] += b.queued;
        LEVEL_NAMES.forEach((priority, l) => this.set({ pool: p.pool, priority }, counts[l]));
      }
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}pool_oldest_queued_seconds`,
    help: "Age of the oldest job in a pool's tenant backlogs (0 when none), read at scrape time",
    labelNames: ['pool'] as const,
    registers: [registry],
    async collect() {
      const pools = await snapshot();
      this.reset();
      const now = Date.now();
      for (const p of pools) {
        const oldest = Math.min(...p.backlogs.map((b) => b.oldestAt ?? now), now);
        this.set({ pool: p.pool }, (now - oldest) / 1000);
      }
    },
  });
}

/** `inferq_tenant_tokens_served_total{pool,tenant}`: real tokens of the jobs a worker finished. */
export function createTokensServed(registry: Registry): (pool: string, tenant: string, tokens: number) => void {
  const counter = new Counter({
    name: `${METRIC_PREFIX}tenant_tokens_served_total`,
    help: 'Tokens (input + output) of the jobs this worker ran, by pool and tenant',
    labelNames: ['pool', 'tenant'] as const,
    registers: [registry],
  });
  return (pool, tenant, tokens) => counter.inc({ pool, tenant }, tokens);
}
