import { Cluster } from 'ioredis';
import type { RedisClient } from './redis';

/**
 * Renames keys whose name changed when they got hash tags (SPEC section 12),
 * so a standalone deployment keeps its API keys across the upgrade. RENAMENX
 * leaves a key alone when its new name exists, so every api process may run
 * it at start. A Cluster never held the old names (they were cross-slot).
 */
export async function migrateLegacyKeys(redis: RedisClient, prefix: string): Promise<void> {
  if (redis instanceof Cluster) return;
  const renames: Array<[string, string]> = [
    [`${prefix}:apikeys`, `{${prefix}:apikeys}`],
    [`${prefix}:apikey-ids`, `{${prefix}:apikeys}:ids`],
  ];
  for (const [from, to] of renames) {
    if ((await redis.exists(from)) === 1) await redis.renamenx(from, to);
  }
}
