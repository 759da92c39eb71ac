import { Counter, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import { METRIC_PREFIX } from './registry';

const DELIVERY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface DispatcherMetrics {
  /**
   * One delivery attempt. `statusCode` is the receiver's answer, undefined
   * when none came (timeout, refused, blocked address).
   */
  delivery(a: { ok: boolean; statusCode?: number; ms: number }): void;
}

/** `2xx`..`5xx`, or `none` when the receiver never answered. */
function statusClass(code: number | undefined): string {
  return code === undefined ? 'none' : `${Math.floor(code / 100)}xx`;
}

export function createDispatcherMetrics(registry: Registry): DispatcherMetrics {
  const deliveries = new Counter({
    name: `${METRIC_PREFIX}webhook_deliveries_total`,
    help: 'Webhook delivery attempts by outcome (ok, failed) and receiver status class',
    labelNames: ['outcome', 'status_class'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: `${METRIC_PREFIX}webhook_delivery_duration_seconds`,
    help: 'Duration of webhook delivery attempts',
    labelNames: ['outcome'] as const,
    buckets: DELIVERY_BUCKETS,
    registers: [registry],
  });
  return {
    delivery: ({ ok, statusCode, ms }) => {
      const outcome = ok ? 'ok' : 'failed';
      deliveries.inc({ outcome, status_class: statusClass(statusCode) });
      duration.observe({ outcome }, ms / 1000);
    },
  };
}
