import type { Delivery } from '@inferq/core';
import { redisKeys } from '@inferq/core';
import type { RedisClient } from '../redis';
import { withLuaCommands } from '../lua-commands';
import { luaScript } from '../lua-files';

/** Attempts kept on a record; older ones drop off first. */
export const MAX_DELIVERIES_KEPT = 100;

/** webhook-delivery-append.lua: see its header. */
const APPEND_DELIVERY_LUA = luaScript('webhook-delivery-append');

type Scripted = RedisClient & { iqAppendDelivery(key: string, delivery: string, keep: string): Promise<number> };

/** The delivery attempts kept on job records (`deliveries`, newest MAX_DELIVERIES_KEPT). */
export class WebhookDeliveries {
  private readonly redis: Scripted;
  private readonly keys: ReturnType<typeof redisKeys>;

  constructor(redis: RedisClient, prefix: string) {
    this.redis = withLuaCommands<Scripted>(redis, {
      iqAppendDelivery: { numberOfKeys: 1, lua: APPEND_DELIVERY_LUA },
    });
    this.keys = redisKeys(prefix);
  }

  /** Appends one delivery attempt to a job's record; false when the record is gone. */
  async append(jobId: string, delivery: Delivery): Promise<boolean> {
    const kept = await this.redis.iqAppendDelivery(
      this.keys.job(jobId),
      JSON.stringify(delivery),
      String(MAX_DELIVERIES_KEPT),
    );
    return kept > 0;
  }
}
