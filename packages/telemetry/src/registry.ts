import { collectDefaultMetrics, Registry } from 'prom-client';

/** Every metric inferq defines starts with this; the default process metrics keep their standard names. */
export const METRIC_PREFIX = 'inferq_';

/**
 * One registry per app (not prom-client's global one), so the all-in-one
 * process can run api, worker and dispatcher side by side without name
 * clashes. Default process metrics (CPU, memory, event loop lag, GC) are on,
 * unprefixed (`process_cpu_seconds_total`, `nodejs_eventloop_lag_seconds`,
 * ...), so stock alerts and Node.js dashboards work on them.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * Caps the distinct values of a label: a model id is free text for
 * `openai/*`, so a caller could otherwise grow the series without bound.
 * Values past the cap are reported as `other`.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(private readonly max = 200) {}

  value(v: string): string {
    if (this.seen.has(v)) return v;
    if (this.seen.size >= this.max) return 'other';
    this.seen.add(v);
    return v;
  }
}
