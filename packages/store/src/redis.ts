import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { Cluster, Redis } from 'ioredis';
import type { ClusterOptions, RedisOptions } from 'ioredis';
import type { RedisClusterNode } from '@inferq/core';

/**
 * `blocking`: BullMQ workers wait forever for Redis to come back.
 * `subscriber`: the same, for a process's pub/sub connection (on a Cluster it
 * keeps a subscriber per shard, for sharded pub/sub). `request`: a
 * request-path connection fails fast so the api can answer 503 instead of
 * hanging while Redis is down.
 */
export type RedisRole = 'blocking' | 'request' | 'subscriber';

/** A connection to standalone Redis or a Redis Cluster client: the same command API, and both fit BullMQ. */
export type RedisClient = Redis | Cluster;

/** Where Redis is, as every app's env says (SPEC section 3): cluster seed nodes win over the URL. */
export interface RedisTarget {
  REDIS_URL: string;
  REDIS_CLUSTER_NODES?: readonly RedisClusterNode[] | undefined;
}

const roleOptions = (role: RedisRole): RedisOptions =>
  role !== 'request'
    ? { maxRetriesPerRequest: null, enableReadyCheck: true }
    : // No auto-pipelining: with the offline queue off, ioredis 5.11's auto-pipeline throws a
      // TypeError (500) instead of a connection error (503) while the connection is not ready;
      // and measured, it gained nothing here.
      { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 };

/** Reconnect delay (ms): 200 ms per attempt, at most 2 s. */
const reconnectDelay = (times: number) => Math.min(times * 200, 2000);

/** The one connection factory: a Cluster client when the target names cluster nodes, else a Redis connection. */
export function createRedis(target: string, role: RedisRole, extra?: RedisOptions): Redis;
export function createRedis(target: RedisTarget, role: RedisRole, extra?: RedisOptions): RedisClient;
export function createRedis(target: string | RedisTarget, role: RedisRole, extra: RedisOptions = {}): RedisClient {
  const nodes = typeof target === 'string' ? undefined : target.REDIS_CLUSTER_NODES;
  const options: RedisOptions = { ...roleOptions(role), retryStrategy: reconnectDelay, ...extra };
  const client =
    nodes && nodes.length > 0
      ? new Cluster([...nodes], clusterOptions(role, options))
      : new Redis(typeof target === 'string' ? target : target.REDIS_URL, options);
  // Errors are reported through readiness and request failures; an unhandled
  // 'error' event would crash the process on every reconnect attempt.
  client.on('error', () => undefined);
  coalesceWrites(client);
  return client;
}

/**
 * Every command ioredis sends is its own socket write, and on this kind of
 * host a write costs about 10 us of system time in the client and a read in
 * Redis: most of a job's CPU was syscalls. Corking each connection's socket
 * until the code that issued a command yields (the end of the current
 * microtask) sends what it issued together (a script call's batch, a
 * `Promise.all` of commands, a turn batcher's flush) in one writev, as a
 * pipeline would, without changing a caller. Not until the end of the
 * event-loop turn: a command then waited for everything else the turn did.
 * The api's hand-over of a picked job to BullMQ waited for the submit's 202
 * answer and its access line, 1-2 ms on every job's time to first token
 * (issue #17); e2e of 3,000 jobs: worker socket writes 901 by turn, 947 by
 * microtask, 3,987 uncorked. BullMQ's own connections (duplicates) get the same.
 */
function coalesceWrites(client: RedisClient): void {
  if (client instanceof Cluster) client.on('+node', (node: Redis) => corkEachConnection(node));
  else corkEachConnection(client);
  const duplicate = client.duplicate.bind(client) as (...args: unknown[]) => RedisClient;
  client.duplicate = ((...args: unknown[]) => {
    const copy = duplicate(...args);
    coalesceWrites(copy);
    return copy;
  }) as typeof client.duplicate;
}

function corkEachConnection(client: Redis): void {
  client.on('connect', () => corkUntilYield(client.stream));
}

function corkUntilYield(socket: Socket | TLSSocket): void {
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  let corked = false;
  const uncork = (): void => {
    corked = false;
    socket.uncork();
  };
  socket.write = (...args: unknown[]) => {
    if (!corked) {
      corked = true;
      socket.cork();
      queueMicrotask(uncork);
    }
    return write(...args);
  };
}

/**
 * How long a command for a master that is down keeps being retried. ioredis drops a lost node's
 * connection and retries the command every `retryDelayOnFailover` (or `retryDelayOnClusterDown`
 * once the other masters declare it failed), refreshing the slots each time, so it reaches the
 * node again once restarted, or its replica once promoted. Its default gives up after 16 tries
 * (1.6 s): a master restarting from its AOF then failed a worker's start and its job transitions.
 * The waiting roles wait as long as they do on standalone Redis; the request role keeps the
 * default and answers 503 within ~2 s.
 */
const WAIT_FOR_NODE: Partial<ClusterOptions> = {
  maxRedirections: Number.POSITIVE_INFINITY,
  retryDelayOnFailover: 200,
  retryDelayOnClusterDown: 200,
};

function clusterOptions(role: RedisRole, redisOptions: RedisOptions): ClusterOptions {
  return {
    redisOptions,
    // The cluster-level queue holds commands while slots are being (re)discovered.
    enableOfflineQueue: role !== 'request',
    shardedSubscribers: role === 'subscriber',
    // No CLUSTER INFO ready check: when it finds cluster_state:fail (a master down, or one just
    // restarted and rejoining) ioredis 5.11 reconnects and never settles the promise of the
    // connect() that started it; BullMQ's blocking-read watchdog awaits such a connect(), and the
    // dispatcher's webhook worker hung for good after a master restart. Commands meanwhile get
    // CLUSTERDOWN and are retried (retryDelayOnClusterDown), as while the client is ready.
    enableReadyCheck: false,
    clusterRetryStrategy: reconnectDelay,
    lazyConnect: redisOptions.lazyConnect,
    ...(role === 'request' ? {} : WAIT_FOR_NODE),
  };
}

/** True when Redis answers PING within `timeoutMs`. */
export async function redisAnswers(redis: RedisClient, timeoutMs = 1000): Promise<boolean> {
  // A connection still (re)connecting is not ready; a PING would only wait in its offline queue.
  if (redis.status !== 'ready') return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((r) => {
    timer = setTimeout(() => r(false), timeoutMs);
  });
  try {
    return await Promise.race([redis.ping().then((p) => p === 'PONG'), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Warnings when Redis is configured in a way that can lose jobs (SPEC section 7). */
export async function durabilityWarnings(redis: RedisClient): Promise<string[]> {
  const warnings: string[] = [];
  try {
    const policy = (await redis.config('GET', 'maxmemory-policy')) as string[];
    if (policy[1] && policy[1] !== 'noeviction') {
      warnings.push(`Redis maxmemory-policy is ${policy[1]}; set noeviction or Redis may evict queued jobs`);
    }
    const aof = (await redis.config('GET', 'appendonly')) as string[];
    if (aof[1] !== 'yes')
      warnings.push('Redis appendonly is off; a Redis restart loses every job since the last snapshot');
  } catch {
    warnings.push('could not read Redis CONFIG (managed Redis?); make sure it runs with AOF and noeviction');
  }
  return warnings;
}

/**
 * Cross-process signals (job events, tokens, cancels, key revocations) on a
 * Cluster use sharded pub/sub: each channel carries a hash tag and lives on
 * one shard, instead of every message crossing the whole cluster bus (SPEC
 * section 12). Standalone Redis keeps plain pub/sub (any Redis version).
 */
export function shardedPubSub(redis: RedisClient): boolean {
  return redis instanceof Cluster;
}

/** A script's PUBLISH calls as this connection wants them: SPUBLISH on a Cluster. */
export function withPublish(lua: string, redis: RedisClient): string {
  return shardedPubSub(redis) ? lua.replace(/'PUBLISH'/g, "'SPUBLISH'") : lua;
}

/** Publishes a message as shardedPubSub says. */
export async function publish(redis: RedisClient, channel: string, message: string): Promise<void> {
  await (shardedPubSub(redis) ? redis.spublish(channel, message) : redis.publish(channel, message));
}
