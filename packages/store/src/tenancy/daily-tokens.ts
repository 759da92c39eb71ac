import type { RedisKeys } from '@inferq/core';
import { utcDay } from '../job-store';
import type { RedisClient } from '../redis';
import { usageByDay } from '../tenant-usage';
import { tokensOf } from './admission';

/** A tenant's input plus output tokens of the UTC day so far, over its pools' usage hashes (the finish script counts into them). */
export async function tokensToday(
  redis: RedisClient,
  keys: RedisKeys,
  tenant: string,
  pools: readonly string[],
  now = Date.now(),
): Promise<number> {
  const [today] = await usageByDay(redis, keys, tenant, [utcDay(now)], pools);
  return tokensOf(today ?? {});
}
