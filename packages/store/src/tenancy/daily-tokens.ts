import type { RedisKeys } from '@inferq/core';
import { utcDay } from '../job-store';
import type { RedisClient } from '../redis';
import { tokensOf } from './admission';

/** A tenant's input plus output tokens of the UTC day so far, from the usage hash the finish script counts into. */
export async function tokensToday(
  redis: RedisClient,
  keys: RedisKeys,
  tenant: string,
  now = Date.now(),
): Promise<number> {
  return tokensOf(await redis.hgetall(keys.usage(tenant, utcDay(now))));
}
