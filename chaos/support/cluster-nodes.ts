import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { poolTag } from '@inferq/core';
import type { ClusterNode } from '@inferq/testkit';
import type { ChaosCluster } from './cluster';

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
  c: ChaosCluster,
  nodes: readonly ClusterNode[],
  pools: readonly string[],
): Promise<Map<string, number>> {
  const ranges = (await c.redis.call('CLUSTER', 'SLOTS')) as SlotRange[];
  const out = new Map<string, number>();
  for (const pool of pools) {
    const slot = Number(await c.redis.call('CLUSTER', 'KEYSLOT', poolTag(c.prefix, pool)));
    const owner = ranges.find(([from, to]) => slot >= from && slot <= to);
    out.set(
      pool,
      nodes.findIndex((n) => n.port === owner?.[2][1]),
    );
  }
  return out;
}
