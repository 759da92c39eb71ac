import { Counter, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import { BoundedLabel, METRIC_PREFIX } from './registry';

/** Seconds; up to a minute because `?wait=60` long-polls are requests too. */
const HTTP_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export interface ApiMetrics {
  /** `route` is the route template (`/v1/jobs/{id}`), never the raw path. */
  requestDone(labels: { method: string; route: string; status: number }, seconds: number): void;
  jobSubmitted(model: string): void;
}

export function createApiMetrics(registry: Registry): ApiMetrics {
  const duration = new Histogram({
    name: `${METRIC_PREFIX}http_request_duration_seconds`,
    help: 'API request duration by method, route template and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  const submitted = new Counter({
    name: `${METRIC_PREFIX}jobs_submitted_total`,
    help: 'Jobs accepted (202) by model',
    labelNames: ['model'] as const,
    registers: [registry],
  });
  const models = new BoundedLabel();
  return {
    requestDone: ({ method, route, status }, seconds) =>
      duration.observe({ method, route, status: String(status) }, seconds),
    jobSubmitted: (model) => submitted.inc({ model: models.value(model) }),
  };
}
