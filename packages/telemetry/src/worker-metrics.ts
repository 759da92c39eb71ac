import { Counter, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import { createTokensServed } from './pool-metrics';
import { BoundedLabel, METRIC_PREFIX } from './registry';

/** Seconds. */
const WAIT_BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];
const RUN_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900];
const TTFT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export type FinishedStatus = 'succeeded' | 'failed' | 'canceled';

export interface WorkerMetrics {
  /** Submission to the start of the first attempt. */
  queueWait(model: string, pool: string, ms: number): void;
  /** One attempt's backend call: duration, time to first token when a token came, tokens on success. */
  attemptRan(
    model: string,
    pool: string,
    run: { ms: number; ttftMs: number | null; usage?: { input_tokens: number; output_tokens: number } },
  ): void;
  backendError(provider: string, code: string): void;
  jobFinished(model: string, status: FinishedStatus): void;
  /** Real tokens (input + output) a finished job consumed, for the fair-share view (SPEC section 9). */
  tokensServed(pool: string, tenant: string, tokens: number): void;
}

export function createWorkerMetrics(registry: Registry): WorkerMetrics {
  const hist = (name: string, help: string, buckets: number[]) =>
    new Histogram({
      name: `${METRIC_PREFIX}${name}`,
      help,
      buckets,
      labelNames: ['model', 'pool'] as const,
      registers: [registry],
    });
  const wait = hist('job_queue_wait_seconds', 'Time from submission to the start of the first attempt', WAIT_BUCKETS);
  const run = hist('job_run_seconds', 'Duration of each attempt against the backend', RUN_BUCKETS);
  const ttft = hist('job_ttft_seconds', 'Time to first token of each attempt that streamed one', TTFT_BUCKETS);
  const finished = new Counter({
    name: `${METRIC_PREFIX}jobs_finished_total`,
    help: 'Jobs that reached a terminal status on this worker, by model and status',
    labelNames: ['model', 'status'] as const,
    registers: [registry],
  });
  const tokens = new Counter({
    name: `${METRIC_PREFIX}tokens_total`,
    help: 'Tokens of succeeded attempts by model and direction (input, output)',
    labelNames: ['model', 'direction'] as const,
    registers: [registry],
  });
  const errors = new Counter({
    name: `${METRIC_PREFIX}backend_errors_total`,
    help: 'Failed attempts by backend provider and failure code',
    labelNames: ['provider', 'code'] as const,
    registers: [registry],
  });
  const models = new BoundedLabel();
  const tenants = new BoundedLabel();
  const served = createTokensServed(registry);
  return {
    queueWait: (model, pool, ms) => wait.observe({ model: models.value(model), pool }, ms / 1000),
    attemptRan: (model, pool, r) => {
      const labels = { model: models.value(model), pool };
      run.observe(labels, r.ms / 1000);
      if (r.ttftMs !== null) ttft.observe(labels, r.ttftMs / 1000);
      if (r.usage) {
        tokens.inc({ model: labels.model, direction: 'input' }, r.usage.input_tokens);
        tokens.inc({ model: labels.model, direction: 'output' }, r.usage.output_tokens);
      }
    },
    backendError: (provider, code) => errors.inc({ provider, code }),
    jobFinished: (model, status) => finished.inc({ model: models.value(model), status }),
    tokensServed: (pool, tenant, n) => served(pool, tenants.value(tenant), n),
  };
}
