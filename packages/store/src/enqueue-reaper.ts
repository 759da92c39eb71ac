import type { Redis } from 'ioredis';
import { poolQueueName, redisKeys } from '@inferq/core';
import type { RedisKeys } from '@inferq/core';

/**
 * reap: removes a record whose enqueue never completed (its api died between
 * writing the record and adding the BullMQ job), so it does not stay queued
 * forever, listed and holding one of its tenant's active slots. Nobody was
 * told 202 for it: the api answers only after confirmEnqueued.
 * KEYS[1] pending-enqueue zset, KEYS[2] job hash, KEYS[3] job event stream,
 * KEYS[4] the BullMQ job hash, KEYS[5] tenant index, KEYS[6] tenant active counter
 * ARGV[1] job id, ARGV[2] cutoff (ms): only entries scored at or before it
 * Returns 1 reaped; 0 kept (not pending, too young, enqueued after all, or no
 * longer queued: a worker has it or it is terminal).
 */
export const REAP_LUA = `
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) > tonumber(ARGV[2]) then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
if redis.call('EXISTS', KEYS[4]) == 1 then return 0 end
if redis.call('HGET', KEYS[2], 'status') ~= 'queued' then return 0 end
redis.call('UNLINK', KEYS[2], KEYS[3])
redis.call('ZREM', KEYS[5], ARGV[1])
if tonumber(redis.call('GET', KEYS[6]) or '0') > 0 then redis.call('DECR', KEYS[6]) end
return 1
`;

/** A pending entry younger than this is an enqueue still in flight (ms); the request path fails fast far sooner. */
export const ENQUEUE_GRACE_MS = 10_000;
/** How often each api process looks for abandoned enqueues (ms). */
export const REAP_INTERVAL_MS = 5_000;

type Scripted = Redis & { iqReap(...keysAndArgs: string[]): Promise<number> };

/**
 * Finds records whose BullMQ job was never added and removes them. Every api
 * process runs one; the script is atomic and idempotent, so they never clash.
 */
export class EnqueueReaper {
  private readonly keys: RedisKeys;
  private readonly redis: Scripted;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly graceMs = ENQUEUE_GRACE_MS,
  ) {
    this.keys = redisKeys(prefix);
    if (!('iqReap' in redis)) redis.defineCommand('iqReap', { numberOfKeys: 6, lua: REAP_LUA });
    this.redis = redis as Scripted;
  }

  /** One pass; returns how many records it removed. */
  async sweep(now = Date.now()): Promise<number> {
    const cutoff = now - this.graceMs;
    const ids = await this.redis.zrangebyscore(this.keys.pendingEnqueue(), '-inf', cutoff, 'LIMIT', 0, 500);
    let reaped = 0;
    for (const id of ids) {
      const [tenant, pool] = await this.redis.hmget(this.keys.job(id), 'tenant', 'pool');
      const k = this.keys;
      reaped += await this.redis.iqReap(
        k.pendingEnqueue(),
        k.job(id),
        k.jobEvents(id),
        `${this.prefix}:${poolQueueName(pool ?? 'default')}:${id}`,
        k.tenantJobs(tenant ?? ''),
        k.tenantActive(tenant ?? ''),
        id,
        String(cutoff),
      );
    }
    return reaped;
  }

  /** Sweeps every `intervalMs` until stop(); errors (Redis down) just wait for the next round. */
  start(intervalMs = REAP_INTERVAL_MS, onReaped: (n: number) => void = () => undefined): void {
    const tick = (): void => {
      this.sweep().then(
        (n) => n > 0 && onReaped(n),
        () => undefined,
      );
    };
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
    tick();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
