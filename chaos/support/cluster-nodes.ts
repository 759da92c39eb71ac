import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { poolTag, queuePrefix, WEBHOOK_QUEUE } from '@inferq/core';
import { createRedis } from '@inferq/store';
import type { RedisClient } from '@inferq/store';
import { testPrefix } from '@inferq/testkit';
import type { ClusterNode, LocalRedisCluster } from '@inferq/testkit';
import { clusterNodes } from './cluster';

/** The pools of a cluster scenario: `default` (sim/echo) and two more, each model routed to its pool. */
export const CLUSTER_POOLS = ['default', 'pool-a', 'pool-b'] as const;
export const CLUSTER_MODELS = ['sim/echo', 'sim/pool-a', 'sim/pool-b'];

/** A MODELS_FILE routing sim/pool-a and sim/pool-b to their pools. */
export function poolModelsFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'inferq-chaos-models-')), 'models.json');
  const models = CLUSTER_POOLS.slice(1).map((pool) => ({ id: `sim/${pool}`, backend: 'sim', pool }));
  writeFileSync(file, JSON.stringify({ models }));
  return file;
}

type SlotRange = [number, number, [string, number, ...unknown[]], ...unknown[]];

/** The index in `nodes` of the master serving each pool's hash tag (its queue, records and events). */
export async function mastersOfPools(
  redis: RedisClient,
  prefix: string,
  nodes: readonly ClusterNode[],
  pools: readonly string[],
): Promise<Map<string, number>> {
  const ranges = (await redis.call('CLUSTER', 'SLOTS')) as SlotRange[];
  const out = new Map<string, number>();
  for (const pool of pools) {
    const slot = Number(await redis.call('CLUSTER', 'KEYSLOT', poolTag(prefix, pool)));
    const owner = ranges.find(([from, to]) => slot >= from && slot <= to);
    out.set(
      pool,
      nodes.findIndex((n) => n.port === owner?.[2][1]),
    );
  }
  return out;
}

/** The index in `nodes` of the master serving the dispatcher's webhook queue. */
export async function masterOfWebhookQueue(
  redis: RedisClient,
  prefix: string,
  nodes: readonly ClusterNode[],
): Promise<number> {
  const ranges = (await redis.call('CLUSTER', 'SLOTS')) as SlotRange[];
  const slot = Number(await redis.call('CLUSTER', 'KEYSLOT', queuePrefix(prefix, WEBHOOK_QUEUE)));
  const owner = ranges.find(([from, to]) => slot >= from && slot <= to);
  return nodes.findIndex((n) => n.port === owner?.[2][1]);
}

/**
 * A test prefix whose pools' tags land on as many different masters as there
 * are pools (chance does it 2 times in 9 for 3 pools on 3 masters), so killing
 * one master leaves the other pools on live ones; and whose webhook queue
 * shares `pool`'s master, so killing that one also takes the dispatcher's
 * queue down (chance decides it otherwise, once in three runs).
 */
export async function spreadPrefix(cluster: LocalRedisCluster, name: string, pool: string): Promise<string> {
  const redis = createRedis(
    { REDIS_URL: 'redis://unused', REDIS_CLUSTER_NODES: clusterNodes(cluster.seeds) },
    'blocking',
  );
  try {
    for (let i = 0; i < 500; i++) {
      const prefix = testPrefix(name);
      const masters = await mastersOfPools(redis, prefix, cluster.nodes, CLUSTER_POOLS);
      const spread = new Set(masters.values()).size === Math.min(CLUSTER_POOLS.length, cluster.nodes.length);
      if (spread && (await masterOfWebhookQueue(redis, prefix, cluster.nodes)) === masters.get(pool)) return prefix;
    }
    throw new Error('no prefix spreads the pools over the masters');
  } finally {
    redis.disconnect();
  }
}
