import type { Delivery } from '@inferq/core';
import { redisKeys } from '@inferq/core';
import type { RedisClient } from '../redis';
import { withLuaCommands } from '../lua-commands';

/** Attempts kept on a record; older ones drop off first. */
export const MAX_DELIVERIES_KEPT = 100;

/**
 * append delivery: adds one attempt to the job record's `deliveries` field (a
 * JSON array), trimmed to the newest ARGV[2] entries. A record that expired
 * stays gone: writing to it would resurrect a hash with no TTL.
 * KEYS[1] job hash
 * ARGV[1] the attempt (JSON object), ARGV[2] entries kept at most
 * Returns the number of entries now kept, or 0 when there is no record.
 */
const APPEND_DELIVERY_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local raw = redis.call('HGET', KEYS[1], 'deliveries')
local list = {}
if raw then list = cjson.decode(raw) end
table.insert(list, cjson.decode(ARGV[1]))
local keep = tonumber(ARGV[2])
while #list > keep do table.remove(list, 1) end
redis.call('HSET', KEYS[1], 'deliveries', cjson.encode(list))
return #list
`;

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
