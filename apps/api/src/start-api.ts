import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, createLogger, ModelCatalog, payloadLimits } from '@inferq/core';
import type { Logger } from '@inferq/core';
import {
  JobStore,
  PoolQueues,
  SchedulerUpkeep,
  createRedis,
  createScheduling,
  durabilityWarnings,
  migrateLegacyKeys,
} from '@inferq/store';
import { createApiApp } from './app';
import { createBatchRuntime } from './batch/batch-runtime';
import { createEnqueueConnection } from './enqueue-connection';
import { expressServer } from './http/express-server';
import type { ApiDeps, RedisClient } from './deps';
import type { ApiConfig } from './env';
import { JobWatcher } from './job-watcher';
import { PoolThroughput } from './pool-throughput';
import type { Route } from './route';
import { createRoutes } from './routes';
import { createTenancy } from './tenancy/tenancy';

export interface StartApiOptions {
  logger?: Logger;
  catalog?: ModelCatalog;
}

export interface StartedApi {
  /** Base URL, e.g. http://127.0.0.1:3000 */
  url: string;
  port: number;
  /** Stops accepting, answers open requests (long-polls at once), closes Redis. */
  close(): Promise<void>;
  /** The route table served (method, path, auth): the auth matrix test walks it, so new routes are covered. */
  routes: ReadonlyArray<Pick<Route, 'method' | 'path' | 'auth'>>;
}

/** How long a draining server waits for open requests before cutting them (ms). */
const DRAIN_TIMEOUT_MS = 10_000;

export async function startApi(config: ApiConfig, opts: StartApiOptions = {}): Promise<StartedApi> {
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL, 'api');
  const catalog = opts.catalog ?? loadCatalog(config.MODELS_FILE);
  const redis = createRedis(config, 'request');
  const subscriber = createRedis(config, 'subscriber');
  const storeOptions = {
    prefix: config.QUEUE_PREFIX,
    retentionMs: config.JOB_RETENTION,
    payloadRetentionMs: config.PAYLOAD_RETENTION,
    eventsRetentionMs: config.EVENTS_RETENTION,
  };
  const store = new JobStore(redis, storeOptions);
  // Producers share the fail-fast connection: a submit while Redis is down answers 503 at once.
  const queues = new PoolQueues(redis, config.QUEUE_PREFIX);
  const watcher = new JobWatcher(subscriber, store.channels(catalog.pools()));
  const tenancy = createTenancy(config, redis, subscriber, logger, catalog.pools());

  const onSchedError = (err: unknown) =>
    logger.warn({ err }, 'handing picked jobs to BullMQ failed; workers repair it');
  const enqueueing = createEnqueueConnection(config, storeOptions, { store, queues }, onSchedError);
  const connections = [redis, subscriber, enqueueing.redis];

  if ((await whenReady(redis, 5000)) && (await whenReady(enqueueing.redis, 5000))) {
    for (const w of await durabilityWarnings(redis)) logger.warn(w);
    await migrateLegacyKeys(redis, config.QUEUE_PREFIX);
    await watcher.start();
    await tenancy.channel.start();
  } else {
    logger.warn({ redis: redactUrl(config.REDIS_URL) }, 'Redis is not reachable yet; answering 503 until it is');
    watcher.start().catch((err: unknown) => logger.error({ err }, 'subscribing to job events failed'));
    void tenancy.channel.start();
  }

  const { scheduler, promotion } = createScheduling(redis, config.QUEUE_PREFIX, store, queues, onSchedError);
  // Deadlines pass in backlogs even while a pool has no worker: every api process sweeps them.
  const upkeep = new SchedulerUpkeep(promotion, queues, store, {
    pools: catalog.pools(),
    slots: 0,
    worker: 'api',
    onError: (err) => logger.debug({ err }, 'deadline sweep failed'),
  });
  await upkeep.start();
  const deps: ApiDeps = {
    config,
    limits: payloadLimits(config.MAX_BODY_BYTES),
    redis,
    store,
    queues,
    enqueuer: enqueueing.enqueuer,
    scheduler,
    promotion,
    throughput: new PoolThroughput(scheduler),
    watcher,
    catalog,
    authenticator: tenancy.authenticator,
    logger,
    tenancy,
    batch: createBatchRuntime(redis, config, logger),
  };
  const app = createApiApp(deps);
  deps.batch.start(deps);
  let server: Server;
  try {
    server = await listen((port, host, cb) => expressServer(app).listen(port, host, cb), config.PORT, config.HOST);
  } catch (err) {
    await upkeep.stop();
    await deps.batch.close();
    await Promise.all([queues.close(), ...connections.map(closeRedis)]);
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${urlHost(config.HOST)}:${port}`;
  logger.info({ url }, 'api listening');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await deps.batch.close(); // before the watcher: batch tasks follow jobs through it
      watcher.close(); // long-polls answer now with the current record
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS);
      await closed;
      clearTimeout(force);
      await upkeep.stop();
      await queues.close();
      tenancy.channel.stop();
      await Promise.all(connections.map(closeRedis));
    })());
  const routes = createRoutes(deps).map(({ method, path, auth }) => ({ method, path, auth }));
  return { url, port, close, routes };
}

function loadCatalog(file: string | undefined): ModelCatalog {
  try {
    return ModelCatalog.fromFile(file);
  } catch (err) {
    throw new ConfigError([`MODELS_FILE: ${err instanceof Error ? err.message : String(err)}`]);
  }
}

type ListenFn = (port: number, host: string, cb: () => void) => Server;

function listen(fn: ListenFn, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = fn(port, host, () => resolve(server));
    server.once('error', reject);
  });
}

/** True once the connection is ready; false on a connection error or after `ms`. */
function whenReady(redis: RedisClient, ms: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady).off('error', onError);
      resolve(ok);
    };
    const onReady = () => finish(true);
    const onError = () => finish(false);
    const timer = setTimeout(() => finish(false), ms);
    redis.once('ready', onReady).once('error', onError);
  });
}

/** QUIT when connected (replies already sent arrive); a connection still retrying is just dropped. */
async function closeRedis(redis: RedisClient): Promise<void> {
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  await redis.quit().catch(() => redis.disconnect());
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
