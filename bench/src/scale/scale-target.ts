import { spawn } from 'node:child_process';
import { Cluster, Redis } from 'ioredis';
import { poolTag } from '@inferq/core';
import { freePort, startRedisCluster, waitFor } from '@inferq/testkit';
import { POOLS } from './fleet';
import { keySlot } from './key-slots';

/** The Redis a scale row runs on: a private standalone server or a local 3-master cluster. */
export interface ScaleTarget {
  kind: 'standalone' | 'cluster';
  /** REDIS_URL or REDIS_CLUSTER_NODES for the fleet. */
  redisEnv: Record<string, string>;
  /** Each shard's port (the masters on a cluster), whose INFO gives its CPU. */
  ports: number[];
  redis: Redis | Cluster;
  /**
   * A QUEUE_PREFIX starting with `base` whose pools' tags land on different
   * shards: with 3 pools on 3 masters chance puts all three on distinct masters
   * only 2 times in 9, while a deployment with many pools spreads about evenly.
   */
  prefix(base: string): Promise<string>;
  /** The pools each shard holds, in `ports` order, for a prefix. */
  poolsByShard(prefix: string): Promise<string[][]>;
  stop(): Promise<void>;
}

/** A private redis-server without persistence (the shared one would mix in other users' CPU). */
export async function standaloneTarget(): Promise<ScaleTarget> {
  const port = await freePort();
  const server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const redis = new Redis(port, '127.0.0.1', { retryStrategy: () => 100 });
  redis.on('error', () => undefined);
  await waitFor(() => redis.ping().then(() => true), 10_000, 100);
  return {
    kind: 'standalone',
    redisEnv: { REDIS_URL: `redis://127.0.0.1:${port}` },
    ports: [port],
    redis,
    prefix: (base) => Promise.resolve(base),
    poolsByShard: () => Promise.resolve([[...POOLS]]),
    stop: async () => {
      redis.disconnect();
      server.kill('SIGKILL');
    },
  };
}

type SlotRange = [number, number, [string, number, ...unknown[]], ...unknown[]];

/** A local 3-master Redis Cluster without persistence, as the standalone server. */
export async function clusterTarget(): Promise<ScaleTarget> {
  const cluster = await startRedisCluster({ appendonly: false });
  const ports = cluster.nodes.map((n) => n.port);
  const redis = new Cluster(cluster.nodes.map((n) => ({ host: '127.0.0.1', port: n.port })));
  redis.on('error', () => undefined);
  const ranges = (await redis.call('CLUSTER', 'SLOTS')) as SlotRange[];
  const shardOf = (key: string): number => {
    const slot = keySlot(key);
    return ports.indexOf(ranges.find(([from, to]) => slot >= from && slot <= to)?.[2][1] ?? -1);
  };
  const poolsByShard = (prefix: string): string[][] =>
    ports.map((_, i) => POOLS.filter((pool) => shardOf(poolTag(prefix, pool)) === i));
  return {
    kind: 'cluster',
    redisEnv: { REDIS_CLUSTER_NODES: cluster.seeds },
    ports,
    redis,
    prefix: (base) => {
      for (let k = 0; k < 1000; k++) {
        const prefix = `${base}-${k}`;
        if (poolsByShard(prefix).every((p) => p.length > 0)) return Promise.resolve(prefix);
      }
      return Promise.resolve(base);
    },
    poolsByShard: (prefix) => Promise.resolve(poolsByShard(prefix)),
    stop: async () => {
      redis.disconnect();
      await cluster.stop();
    },
  };
}
