import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { LookupFunction } from 'node:net';
import { Queue, Worker } from 'bullmq';
import { createLogger, ModelCatalog, queuePrefix, WEBHOOK_QUEUE } from '@inferq/core';
import type { DeliveryJobData, Logger } from '@inferq/core';
import {
  createRedis,
  durabilityWarnings,
  JobStore,
  redisAnswers,
  WebhookDeliveries,
  WebhookSecrets,
} from '@inferq/store';
import {
  createDispatcherMetrics,
  createMetricsRegistry,
  metricsEndpoint,
  registerQueueDepth,
  startHealthServer,
} from '@inferq/telemetry';
import { AllowList, WebhookEgress } from '@inferq/webhooks';
import type { DispatcherConfig } from './env';
import { deliveryJobOptions } from './delivery-job';
import { createDeliveryProcessor } from './delivery.processor';
import { OutboxFleet } from './outbox-fleet';
import { scheduleBackoff } from './retry-schedule';

export { DispatcherEnv, loadDispatcherConfig } from './env';
export type { DispatcherConfig } from './env';

export interface StartDispatcherOptions {
  logger?: Logger;
  /** Connect-time DNS lookup; tests inject one to play a rebinding DNS. */
  lookup?: LookupFunction;
}

export interface RunningDispatcher {
  /** Port of /healthz, /readyz and /metrics. */
  metricsPort: number;
  /** Stops reading the outbox, lets attempts in flight finish, closes Redis. */
  close(): Promise<void>;
}

/** A killed dispatcher's deliveries are retried this many times before BullMQ fails them as stalled. */
const MAX_STALLED_COUNT = 5;

/**
 * The webhook dispatcher (SPEC section 6): outbox stream -> webhook queue ->
 * signed POSTs. Its own process, so GPU hosts never call client systems.
 */
export async function startDispatcher(
  config: DispatcherConfig,
  opts: StartDispatcherOptions = {},
): Promise<RunningDispatcher> {
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL, 'dispatcher');
  const prefix = config.QUEUE_PREFIX;
  const redis = createRedis(config, 'blocking');
  // Checked once connected (registered before any await, so the event cannot pass unseen).
  redis.once('ready', () => void durabilityWarnings(redis).then((ws) => ws.forEach((w) => logger.warn(w))));
  const outboxConn = createRedis(config, 'blocking'); // the outbox consumers' connections duplicate it
  const workerConn = createRedis(config, 'blocking'); // BullMQ's blocking reads hold it
  const queue = new Queue<DeliveryJobData>(WEBHOOK_QUEUE, {
    connection: redis,
    prefix: queuePrefix(prefix, WEBHOOK_QUEUE),
  });
  // The shared connection's errors, which /readyz reports (see createRedis); without a listener they would crash the process.
  queue.on('error', () => undefined);
  const registry = createMetricsRegistry();
  registerQueueDepth(registry, () => [queue]);
  let started = false;
  // Serves /healthz before anything waits on Redis (SPEC section 12), so a dispatcher started during
  // a Redis outage stays alive for its liveness probe; /readyz says 503 until it is running.
  const health = await startHealthServer({
    host: config.HOST,
    port: config.METRICS_PORT,
    ready: async () => started && (await redisAnswers(redis)),
    logger,
    metrics: metricsEndpoint(registry, config.METRICS_TOKEN),
  });
  const egress = new WebhookEgress({ allow: new AllowList(config.WEBHOOK_ALLOW_HOSTS), lookup: opts.lookup });

  const processor = createDeliveryProcessor({
    deliveries: new WebhookDeliveries(redis, prefix),
    egress,
    logger,
    secrets: new WebhookSecrets(redis, prefix),
    metrics: createDispatcherMetrics(registry),
  });
  const worker = new Worker<DeliveryJobData>(WEBHOOK_QUEUE, processor, {
    connection: workerConn,
    prefix: queuePrefix(prefix, WEBHOOK_QUEUE),
    concurrency: config.DISPATCHER_CONCURRENCY,
    lockDuration: config.DISPATCHER_LOCK_MS,
    stalledInterval: config.DISPATCHER_STALLED_MS,
    maxStalledCount: MAX_STALLED_COUNT,
    settings: { backoffStrategy: scheduleBackoff(config.WEBHOOK_RETRY_SCHEDULE) },
  });
  worker.on('error', (err) => logger.error({ err }, 'webhook worker error'));

  const outbox = new OutboxFleet({
    redis: outboxConn,
    pools: ModelCatalog.fromFile(config.MODELS_FILE).pools(),
    store: new JobStore(redis, { prefix, retentionMs: config.JOB_RETENTION }),
    queue,
    prefix,
    consumer: `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    claimIdleMs: config.DISPATCHER_LOCK_MS,
    jobOptions: deliveryJobOptions(config.WEBHOOK_RETRY_SCHEDULE),
    logger,
  });
  await outbox.start().catch(async (err: unknown) => {
    await Promise.all([worker.close(), queue.close(), health.close()]);
    [redis, outboxConn, workerConn].forEach((c) => c.disconnect());
    throw err;
  });
  started = true;
  logger.info({ metricsPort: health.port, attempts: config.WEBHOOK_RETRY_SCHEDULE.length + 1 }, 'dispatcher started');

  return {
    metricsPort: health.port,
    close: async () => {
      await outbox.close();
      await worker.close();
      await queue.close();
      await health.close();
      await egress.close();
      await Promise.all([redis, outboxConn, workerConn].map((c) => c.quit().catch(() => c.disconnect())));
      logger.info('dispatcher stopped');
    },
  };
}
