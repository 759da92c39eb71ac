import { z } from 'zod';
import {
  envDurationMs,
  envInt,
  envList,
  envOptionalSecret,
  LIMITS,
  ModelCatalog,
  parseEnv,
  PoolName,
  SharedEnv,
} from '@inferq/core';

/** The worker's configuration, from env only (SPEC section 3). */
export const WorkerEnv = SharedEnv.extend({
  /** Pools this worker serves (one BullMQ queue each). */
  WORKER_POOLS: envList('default').pipe(z.array(PoolName).min(1, 'name at least one pool')),
  /** Jobs in flight per worker process, split evenly over its pools. */
  WORKER_CONCURRENCY: envInt(32),
  /** BullMQ lockDuration (ms): renewed at half this while a job runs. */
  WORKER_LOCK_MS: envInt(30_000, 1000),
  /** BullMQ stalledInterval (ms): how often dead workers' jobs are looked for. */
  WORKER_STALLED_MS: envInt(30_000, 1000),
  /** First retry delay (ms); doubles per attempt, with jitter, at least the provider's Retry-After. */
  WORKER_RETRY_BASE_MS: envInt(1000, 1),
  /**
   * A job the fair scheduler picked this long ago (ms) whose BullMQ job is missing (the process that
   * picked it died before adding it) is added again by the repair loop; a pick whose job has ended is released.
   */
  WORKER_REPAIR_AFTER_MS: envInt(5000, 1000),
  /** How often (ms) each worker looks for such picks. */
  WORKER_REPAIR_EVERY_MS: envInt(5000, 100),
  /** How long SIGTERM waits for in-flight jobs before handing them back (ms). */
  WORKER_SHUTDOWN_GRACE_MS: envInt(25_000, 0),
  /** Port of /metrics, /healthz and /readyz. */
  METRICS_PORT: envInt(9101, 0),
  OPENAI_API_KEY: envOptionalSecret,
  OPENAI_BASE_URL: z.string().url().optional(),
  ANTHROPIC_API_KEY: envOptionalSecret,
  ANTHROPIC_BASE_URL: z.string().url().optional(),
  /** sim/echo: time to first token and per further token (ms). */
  SIM_TTFT_MS: envInt(200, 0),
  SIM_TOKEN_MS: envInt(20, 0),
  /** How long a succeeded cache-eligible answer (`cache: true`, temperature 0) stays in the response cache. */
  CACHE_TTL: envDurationMs('24h'),
});

export interface WorkerConfig extends z.output<typeof WorkerEnv> {
  catalog: ModelCatalog;
  /** Values of the env variables MODELS_FILE names in `api_key_env`. */
  secrets: Record<string, string | undefined>;
}

/** Jobs may be retried after a worker dies up to the largest max_attempts a request may ask for. */
export const MAX_STALLED_COUNT = LIMITS.maxAttempts;

export function loadWorkerConfig(env: Record<string, string | undefined>): WorkerConfig {
  const parsed = parseEnv(WorkerEnv, env);
  const catalog = ModelCatalog.fromFile(parsed.MODELS_FILE);
  const secrets: Record<string, string | undefined> = {};
  for (const m of catalog.list()) {
    const spec = catalog.spec(m.id);
    if (spec?.api_key_env) secrets[spec.api_key_env] = env[spec.api_key_env];
  }
  return { ...parsed, catalog, secrets };
}

/** For main.ts: the worker's configuration from the process environment. */
export function workerConfigFromProcessEnv(): WorkerConfig {
  return loadWorkerConfig(process.env);
}
