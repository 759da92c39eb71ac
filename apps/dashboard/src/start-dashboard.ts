import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, ModelCatalog, poolBacklogView, poolQueueName, WEBHOOK_QUEUE } from '@inferq/core';
import type { Logger } from '@inferq/core';
import { createRedis, durabilityWarnings, PoolScheduler, redisAnswers, WorkerRegistry } from '@inferq/store';
import { createMetricsRegistry, metricsEndpoint, registerPoolGauges, registerQueueDepth } from '@inferq/telemetry';
import { createDashboardApp } from './dashboard-app';
import type { DashboardConfig } from './env';
import { FLEET_PATH } from './fleet.page';
import { BOARD_PATH, createQueueBoard } from './queue-board';

export interface StartedDashboard {
  /** Base URL; Bull Board is at `${url}/admin/queues`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** How often the board picks up pools that live workers report (ms). */
const REFRESH_MS = 10_000;
/** How long a draining server waits for open requests before cutting them (ms). */
const DRAIN_TIMEOUT_MS = 5_000;

export async function startDashboard(
  config: DashboardConfig,
  opts: { logger?: Logger; catalog?: ModelCatalog } = {},
): Promise<StartedDashboard> {
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL, 'dashboard');
  const catalog = opts.catalog ?? ModelCatalog.fromFile(config.MODELS_FILE);
  // Fail fast: a page load while Redis is down answers 503 instead of hanging.
  const redis = createRedis(config, 'request');
  const fleet = new WorkerRegistry(redis, config.QUEUE_PREFIX);
  const configured = [...catalog.list().map((m) => m.pool), ...config.WORKER_POOLS];
  const queueNames = (pools: string[]) => [...pools.map(poolQueueName), WEBHOOK_QUEUE];
  const board = createQueueBoard({
    connection: redis,
    prefix: config.QUEUE_PREFIX,
    readOnly: config.DASHBOARD_READ_ONLY,
    names: queueNames(configured),
    links: [{ text: 'Fleet', url: FLEET_PATH }],
  });
  const scheduler = new PoolScheduler(redis, config.QUEUE_PREFIX);
  // The configured pools and those live workers report, learned by workers().
  let pools = [...new Set(configured)].sort();
  const workers = async () => {
    const live = await fleet.list();
    pools = [...new Set([...configured, ...live.flatMap((w) => w.pools)])].sort();
    board.show(queueNames(pools));
    return live;
  };
  const poolStats = () => Promise.all(pools.map((p) => scheduler.stats(p)));

  if (!config.ADMIN_TOKEN) logger.warn('ADMIN_TOKEN is not set: the dashboard refuses every request until it is');
  // Checked on the first connection, whenever Redis comes up.
  redis.once('ready', () => void durabilityWarnings(redis).then((ws) => ws.forEach((w) => logger.warn(w))));
  if (!(await connected(redis, 3000))) logger.warn('Redis is not reachable yet; the dashboard answers 503 until it is');

  const registry = createMetricsRegistry();
  registerQueueDepth(registry, () => board.queues());
  // A pool whose read fails (Redis down) is left out of that scrape, as on the api.
  const readable = async () => await Promise.all(pools.map((p) => scheduler.stats(p).catch(() => undefined)));
  registerPoolGauges(registry, async () => (await readable()).filter((s) => s !== undefined));
  const app = createDashboardApp({
    adminToken: config.ADMIN_TOKEN,
    readOnly: config.DASHBOARD_READ_ONLY,
    board,
    workers,
    pools: async () => {
      const now = Date.now();
      return (await poolStats()).map((s) => poolBacklogView(s, now));
    },
    ready: () => redisAnswers(redis),
    metrics: metricsEndpoint(registry, config.METRICS_TOKEN),
    logger,
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.DASHBOARD_PORT, config.HOST, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`;
  // A refresh Redis cannot answer keeps the last list of queues; the next one tries again.
  const refreshQueues = () =>
    void workers().catch((err: unknown) => logger.warn({ err }, 'could not refresh the fleet and its queues'));
  const refresh = setInterval(refreshQueues, REFRESH_MS);
  refresh.unref();
  refreshQueues();
  logger.info({ url: `${url}${BOARD_PATH}`, readOnly: config.DASHBOARD_READ_ONLY }, 'dashboard listening');

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      clearInterval(refresh);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS);
      await closed;
      clearTimeout(force);
      await board.close();
      await redis.quit().catch(() => redis.disconnect());
    })());
  return { url, port, close };
}

/** True once the connection is ready; false after `ms`. */
function connected(redis: ReturnType<typeof createRedis>, ms: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      resolve(false);
    }, ms);
    redis.once('ready', onReady);
  });
}
