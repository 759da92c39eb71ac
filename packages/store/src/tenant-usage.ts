import type { RedisKeys } from '@inferq/core';
import type { RedisClient } from './redis';

/**
 * A tenant's usage hashes of these days, each the sum over its pools (the
 * finish script counts into the job's pool slot): one pipeline per pool,
 * whose days share that slot, all sent at once.
 */
export async function usageByDay(
  redis: RedisClient,
  keys: RedisKeys,
  tenant: string,
  days: readonly string[],
  pools: readonly string[],
): Promise<Array<Record<string, string>>> {
  const perPool = await Promise.all(
    pools.map(async (pool) => {
      const pipe = redis.pipeline();
      for (const day of days) pipe.hgetall(keys.usage(tenant, day, pool));
      const rows = (await pipe.exec()) ?? [];
      return rows.map(([err, hash]) => {
        if (err) throw err;
        return hash as Record<string, string>;
      });
    }),
  );
  return days.map((_, d) => sumHashes(perPool.map((rows) => rows[d] ?? {})));
}

function sumHashes(hashes: ReadonlyArray<Record<string, string>>): Record<string, string> {
  if (hashes.length === 1) return hashes[0];
  const sum = new Map<string, number>();
  for (const h of hashes) for (const [k, v] of Object.entries(h)) sum.set(k, (sum.get(k) ?? 0) + Number(v));
  return Object.fromEntries([...sum].map(([k, v]) => [k, String(v)]));
}
