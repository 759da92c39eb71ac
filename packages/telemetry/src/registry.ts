import { collectDefaultMetrics, Registry } from 'prom-client';

/** Every metric name inferq exports starts with this. */
export const METRIC_PREFIX = 'inferq_';

/**
 * One registry per app (not prom-client's global one), so the all-in-one
 * process can run api, worker and dispatcher side by side without name
 * clashes. Default process metrics (CPU, memory, event loop lag, GC) are on.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
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
