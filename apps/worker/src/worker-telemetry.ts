import type { Logger } from '@inferq/core';
import { poolQueueName } from '@inferq/core';
import { closeQueue, openQueue, WorkerRegistry } from '@inferq/store';
import type { createRedis } from '@inferq/store';
import { createMetricsRegistry, createWorkerMetrics, metricsEndpoint, registerQueueDepth } from '@inferq/telemetry';
import type { MetricsEndpoint, WorkerMetrics } from '@inferq/telemetry';
import type { WorkerConfig } from './env';
import { startHeartbeat } from './heartbeat';

export interface WorkerTelemetry {
  metrics: WorkerMetrics;
  /** GET /metrics on METRICS_PORT. */
  endpoint: MetricsEndpoint;
  heartbeatId: string;
  stop(): Promise<void>;
}

/** The worker's metrics (with the depth of its pools' queues) and its fleet heartbeat. */
export async function startWorkerTelemetry(opts: {
  config: WorkerConfig;
  redis: ReturnType<typeof createRedis>;
  /** Slots over all pools, as startWorker splits WORKER_CONCURRENCY. */
  concurrency: number;
  inFlight: () => number;
  logger: Logger;
}): Promise<WorkerTelemetry> {
  const { config, redis } = opts;
  const registry = createMetricsRegistry();
  const queues = config.WORKER_POOLS.map((p) => openQueue(poolQueueName(p), redis, config.QUEUE_PREFIX));
  registerQueueDepth(registry, () => queues);
  const heartbeat = await startHeartbeat({
    registry: new WorkerRegistry(redis, config.QUEUE_PREFIX),
    pools: config.WORKER_POOLS,
    concurrency: opts.concurrency,
    inFlight: opts.inFlight,
    logger: opts.logger,
  });
  return {
    metrics: createWorkerMetrics(registry),
    endpoint: metricsEndpoint(registry, config.METRICS_TOKEN),
    heartbeatId: heartbeat.id,
    stop: async () => {
      await heartbeat.stop();
      await Promise.all(queues.map((q) => closeQueue(q)));
    },
  };
}
