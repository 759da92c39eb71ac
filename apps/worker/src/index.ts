import { hostname } from 'node:os';
import { Worker } from 'bullmq';
import { createBackendFactory } from '@inferq/backends';
import { createLogger, poolQueueName, poolTag, redisKeys } from '@inferq/core';
import type { Logger } from '@inferq/core';
import {
  ChannelListener,
  createRedis,
  createScheduling,
  durabilityWarnings,
  JobEventLog,
  JobStore,
  messageIds,
  PoolQueues,
  poolWorkerOptions,
  redisAnswers,
  ResponseCache,
  SchedulerUpkeep,
} from '@inferq/store';
import type { RedisClient } from '@inferq/store';
import type { WorkerConfig } from './env';
import { MAX_STALLED_COUNT } from './env';
import { JobCanceledError, WorkerShutdownError } from './failure';
import { startHealthServer, unavailableAnswer } from '@inferq/telemetry';
import { createInferenceProcessor } from './inference.processor';
import { failStalledJobs } from './queue-failures';
import { InflightJobs } from './inflight-jobs';
import { retryStrategy } from './retry-policy';
import { startWorkerTelemetry } from './worker-telemetry';
import type { WorkerTelemetry } from './worker-telemetry';

export { loadWorkerConfig, WorkerEnv } from './env';
export type { WorkerConfig } from './env';
export { backoffDelayMs } from './retry-policy';

/** Slots one BullMQ fetch loop serves at most, and the most loops a pool gets per process. */
const SLOTS_PER_LANE = 64;
const MAX_LANES = 8;

/**
 * A pool's slots split over several BullMQ Workers ("lanes"). One Worker
 * fetches jobs one round trip after another, so 2,000 slots facing a backlog
 * took 0.6 s just to fill; lanes fetch side by side, each on its own
 * connection. Small pools keep one lane.
 */
export function fetchLanes(slots: number): number[] {
  const n = Math.min(MAX_LANES, Math.ceil(slots / SLOTS_PER_LANE));
  return Array.from({ length: n }, (_, i) => Math.floor(slots / n) + (i < slots % n ? 1 : 0));
}

export interface RunningWorker {
  /** Port of /healthz, /readyz and /metrics. */
  metricsPort: number;
  /** Drains: finishes in-flight jobs within the grace period, hands back the rest. */
  close(): Promise<void>;
}

export async function startWorker(config: WorkerConfig, opts: { logger?: Logger } = {}): Promise<RunningWorker> {
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL, 'worker');
  const redis = createRedis(config, 'blocking');
  // Checked once connected (registered before any await, so the event cannot pass unseen); awaiting
  // it would hold the start during an outage for nothing.
  redis.once('ready', () => void durabilityWarnings(redis).then((ws) => ws.forEach((w) => logger.warn(w))));
  let telemetry: WorkerTelemetry | undefined;
  // Serves /healthz before anything waits on Redis (SPEC section 12): a worker started during a
  // Redis outage stays alive for its liveness probe, and says 503 on /readyz until it is running.
  const health = await startHealthServer({
    host: config.HOST,
    port: config.METRICS_PORT,
    ready: async () => telemetry !== undefined && (await redisAnswers(redis)),
    metrics: (auth) => telemetry?.endpoint(auth) ?? Promise.resolve(unavailableAnswer('waiting for Redis')),
    logger,
  });
  try {
    const started = await startPools(config, logger, redis, (t) => (telemetry = t));
    const { concurrency } = started;
    logger.info(
      { pools: config.WORKER_POOLS, concurrency, metricsPort: health.port, host: hostname() },
      'worker started',
    );
    return { metricsPort: health.port, close: () => started.close().finally(() => health.close()) };
  } catch (err) {
    await health.close();
    redis.disconnect();
    throw err;
  }
}

/** Everything that needs Redis: waits for it (the connections queue commands while it is down). */
async function startPools(
  config: WorkerConfig,
  logger: Logger,
  redis: RedisClient,
  onTelemetry: (t: WorkerTelemetry) => void,
): Promise<{ concurrency: number; close(): Promise<void> }> {
  const subscriber = createRedis(config, 'subscriber');
  const store = new JobStore(redis, {
    prefix: config.QUEUE_PREFIX,
    retentionMs: config.JOB_RETENTION,
    payloadRetentionMs: config.PAYLOAD_RETENTION,
    eventsRetentionMs: config.EVENTS_RETENTION,
  });
  const inflight = new InflightJobs();
  const backendFor = createBackendFactory({
    openai: { apiKey: config.OPENAI_API_KEY, baseURL: config.OPENAI_BASE_URL },
    anthropic: { apiKey: config.ANTHROPIC_API_KEY, baseURL: config.ANTHROPIC_BASE_URL },
    sim: { ttftMs: config.SIM_TTFT_MS, tokenMs: config.SIM_TOKEN_MS },
    secrets: config.secrets,
  });

  // The cancel transition publishes the ids of the jobs one call canceled (any may be running), on their pool's channel.
  const cancelChannels = config.WORKER_POOLS.map((pool) => redisKeys(config.QUEUE_PREFIX).cancelChannel(pool));
  await new ChannelListener(subscriber, cancelChannels, (_channel, message) => {
    for (const id of messageIds(message))
      if (inflight.abort(id, new JobCanceledError())) logger.info({ jobId: id }, 'aborted a canceled job');
  }).start();

  // WORKER_CONCURRENCY split evenly over the pools, at least 1 each.
  const perPool = Math.max(1, Math.floor(config.WORKER_CONCURRENCY / config.WORKER_POOLS.length));
  const concurrency = perPool * config.WORKER_POOLS.length;
  const telemetry = await startWorkerTelemetry({ config, redis, concurrency, inFlight: () => inflight.size, logger });
  onTelemetry(telemetry);
  const events = new JobEventLog(redis, { prefix: config.QUEUE_PREFIX });
  const responseCache = new ResponseCache(redis, config.QUEUE_PREFIX, config.CACHE_TTL);
  const queues = new PoolQueues(redis, config.QUEUE_PREFIX);
  const { promotion } = createScheduling(redis, config.QUEUE_PREFIX, store, queues);
  const processor = createInferenceProcessor({
    store,
    catalog: config.catalog,
    backendFor,
    inflight,
    logger,
    events,
    metrics: telemetry.metrics,
    responseCache,
    promotion,
  });
  const lanes = config.WORKER_POOLS.flatMap((pool) =>
    fetchLanes(perPool).map((slots, lane) => ({ pool, slots, lane })),
  );
  const connections = lanes.map(() => createRedis(config, 'blocking'));
  const workers = lanes.map(({ pool, slots, lane }, i) => {
    const w = new Worker(poolQueueName(pool), processor, {
      connection: connections[i],
      prefix: poolTag(config.QUEUE_PREFIX, pool),
      concurrency: slots,
      lockDuration: config.WORKER_LOCK_MS,
      stalledInterval: config.WORKER_STALLED_MS,
      maxStalledCount: MAX_STALLED_COUNT,
      // One stalled-job check per pool is enough; the other lanes would repeat it.
      skipStalledCheck: lane > 0,
      // The catalog's keep rules for finished jobs, here rather than on each job (see poolWorkerOptions).
      ...poolWorkerOptions(),
      settings: { backoffStrategy: retryStrategy(config.WORKER_RETRY_BASE_MS) },
    });
    w.on('error', (err) => logger.error({ err, pool }, 'worker error'));
    // A job BullMQ fails without our processor deciding it (stalled past the limit): its record ends too.
    w.on('failed', failStalledJobs({ store, logger, metrics: telemetry.metrics, promotion }, MAX_STALLED_COUNT));
    return w;
  });

  const upkeep = new SchedulerUpkeep(promotion, queues, store, {
    pools: config.WORKER_POOLS,
    slots: perPool,
    worker: telemetry.heartbeatId,
    repairAfterMs: config.WORKER_REPAIR_AFTER_MS,
    repairEveryMs: config.WORKER_REPAIR_EVERY_MS,
    onError: (err) => logger.warn({ err }, 'scheduler upkeep failed'),
    // A process died between picking jobs and adding them to BullMQ (or ending them): worth a line.
    onRepaired: (r) => logger.warn(r, 'repaired picked jobs whose hand-over to BullMQ was lost'),
  });
  await upkeep.start();

  return {
    concurrency: perPool,
    close: async () => {
      // Withdraw this worker's slots first, so the pool stops handing it jobs while it drains.
      await upkeep.stop();
      // A worker closed before its connections are ready leaves a check running that fails later with
      // nobody listening (see closeQueue): let them settle first.
      const graceful = Promise.all(
        workers.map((w) =>
          w
            .waitUntilReady()
            // Closed all the same: a connection that never got ready has logged its errors through 'error'.
            .catch(() => undefined)
            .then(() => w.close()),
        ),
      );
      const timer = setTimeout(
        () => inflight.abortAll(() => new WorkerShutdownError()),
        config.WORKER_SHUTDOWN_GRACE_MS,
      );
      await graceful;
      clearTimeout(timer);
      await telemetry.stop();
      await queues.close();
      // At shutdown a connection already down has nothing left to close.
      await subscriber.quit().catch(() => undefined);
      await Promise.all([redis, ...connections].map((c) => c.quit().catch(() => undefined)));
      logger.info('worker stopped');
    },
  };
}
