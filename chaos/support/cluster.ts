import { randomBytes } from 'node:crypto';
import { poolQueueName, poolTag } from '@inferq/core';
import { JobStore, PoolScheduler, createRedis } from '@inferq/store';
import type { RedisClient } from '@inferq/store';
import { dropPrefix, freePort, spawnApp, testPrefix } from '@inferq/testkit';
import type { SpawnedApp } from '@inferq/testkit';
import { chaosRedisUrl } from './chaos-redis';

/**
 * Lock and stall settings short enough that a killed worker's jobs come back within ~3 s, and
 * a pick whose BullMQ add died with its process (api or worker) within ~2.5 s (default 30 s).
 */
export const CHAOS_WORKER_ENV = {
  WORKER_LOCK_MS: '2000',
  WORKER_STALLED_MS: '1000',
  WORKER_REPAIR_AFTER_MS: '2000',
  WORKER_REPAIR_EVERY_MS: '500',
};

export interface ApiProcess {
  app: SpawnedApp;
  url: string;
}

/** `127.0.0.1:p1,127.0.0.1:p2,...` (REDIS_CLUSTER_NODES) as the store's connection factory takes it. */
export function clusterNodes(seeds: string): Array<{ host: string; port: number }> {
  return seeds
    .split(',')
    .map((s) => ({ host: s.slice(0, s.lastIndexOf(':')), port: Number(s.slice(s.lastIndexOf(':') + 1)) }));
}

/**
 * One scenario's deployment: real `npm run start:*` processes on its own key
 * prefix of the chaos Redis (or of a Redis Cluster, given its seed nodes), a
 * tenant key, and a direct store to audit from.
 */
export class ChaosCluster {
  readonly prefix: string;
  readonly redisUrl = chaosRedisUrl();
  readonly apiKey = `chaos_${randomBytes(12).toString('hex')}`;
  readonly redis: RedisClient;
  readonly store: JobStore;
  private readonly apps = new Set<SpawnedApp>();

  constructor(
    name: string,
    /** REDIS_CLUSTER_NODES of a Redis Cluster to run on instead of the chaos redis-server. */
    private readonly clusterSeeds?: string,
    /** A QUEUE_PREFIX of the scenario's choosing (e.g. one that puts its pools on different masters). */
    prefix?: string,
  ) {
    this.prefix = prefix ?? testPrefix(`chaos-${name}`);
    this.redis = clusterSeeds
      ? createRedis({ REDIS_URL: this.redisUrl, REDIS_CLUSTER_NODES: clusterNodes(clusterSeeds) }, 'blocking')
      : createRedis(this.redisUrl, 'blocking');
    this.store = new JobStore(this.redis, { prefix: this.prefix, retentionMs: 3_600_000 });
  }

  private common(): Record<string, string> {
    // The audit reads every job's event stream after the run: keep them past EVENTS_RETENTION's default 60 s.
    return {
      ...(this.clusterSeeds ? { REDIS_CLUSTER_NODES: this.clusterSeeds } : { REDIS_URL: this.redisUrl }),
      QUEUE_PREFIX: this.prefix,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      EVENTS_RETENTION: '1h',
    };
  }

  /** `npm run start:api` on a fixed port (a restarted api comes back on the same URL). */
  async startApi(port?: number, env: Record<string, string> = {}): Promise<ApiProcess> {
    const p = port ?? (await freePort());
    const app = this.track(
      spawnApp('start:api', {
        ...this.common(),
        PORT: String(p),
        API_KEYS: `chaos:${this.apiKey}`,
        RATE_LIMIT_RPM: '1000000',
        MAX_QUEUED_PER_TENANT: '1000000',
        ...env,
      }),
    );
    await app.waitForOutput(/api listening/, 30_000);
    return { app, url: `http://127.0.0.1:${p}` };
  }

  /** `npm run start:worker`; resolves once it serves its pools. */
  async startWorker(env: Record<string, string> = {}): Promise<SpawnedApp> {
    const app = this.spawnWorker(env);
    await app.waitForOutput(/worker started/, 30_000);
    return app;
  }

  /** `npm run start:worker` without waiting for it (a scenario that kills it while it starts). */
  spawnWorker(env: Record<string, string> = {}): SpawnedApp {
    return this.track(spawnApp('start:worker', { ...this.common(), METRICS_PORT: '0', ...CHAOS_WORKER_ENV, ...env }));
  }

  /** `npm run start:dispatcher` with short lock/stall settings; resolves once it reads the outbox. */
  async startDispatcher(env: Record<string, string> = {}): Promise<SpawnedApp> {
    const app = this.track(
      spawnApp('start:dispatcher', {
        ...this.common(),
        METRICS_PORT: '0',
        DISPATCHER_LOCK_MS: CHAOS_WORKER_ENV.WORKER_LOCK_MS,
        DISPATCHER_STALLED_MS: CHAOS_WORKER_ENV.WORKER_STALLED_MS,
        ...env,
      }),
    );
    await app.waitForOutput(/dispatcher started/, 30_000);
    return app;
  }

  /** SIGKILLs the whole process group and waits for it to be gone. */
  async kill(app: SpawnedApp): Promise<void> {
    app.kill('SIGKILL');
    await app.exited;
    this.apps.delete(app);
  }

  async close(): Promise<void> {
    await Promise.all([...this.apps].map((a) => this.kill(a)));
    // A scenario's own cluster goes with its data dirs; the shared chaos server keeps running.
    if (!this.clusterSeeds) await dropPrefix(this.prefix, this.redisUrl).catch(() => undefined);
    this.redis.disconnect();
  }

  private track(app: SpawnedApp): SpawnedApp {
    this.apps.add(app);
    return app;
  }
}

/** BullMQ's view of a pool queue: how many jobs wait, run and sit in the delayed set. */
export async function poolCounts(
  c: ChaosCluster,
  pool = 'default',
): Promise<{ waiting: number; active: number; delayed: number }> {
  const q = `${poolTag(c.prefix, pool)}:${poolQueueName(pool)}`;
  const [wait, prioritized, active, delayed, stats] = await Promise.all([
    c.redis.llen(`${q}:wait`),
    c.redis.zcard(`${q}:prioritized`),
    c.redis.llen(`${q}:active`),
    c.redis.zcard(`${q}:delayed`),
    new PoolScheduler(c.redis, c.prefix).stats(pool),
  ]);
  // Waiting: in the tenants' backlogs of the fair scheduler, or handed to BullMQ and not yet taken.
  const backlog = stats.backlogs.reduce((n, b) => n + b.queued, 0);
  return { waiting: wait + prioritized + backlog, active, delayed };
}
