import type { RedisClient } from './redis';
import { redisKeys, WorkerHeartbeat } from '@inferq/core';

/**
 * Live workers: each writes `worker(id)` (JSON, expiring after `ttlMs`) and
 * its id in the `workers()` sorted set (score: last beat, ms). A worker that
 * dies simply stops beating; its record expires and the next `list()` drops
 * its id from the set.
 */
export class WorkerRegistry {
  private readonly keys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = redisKeys(prefix);
  }

  async beat(hb: WorkerHeartbeat, ttlMs: number): Promise<void> {
    await this.redis
      .multi()
      .set(this.keys.worker(hb.id), JSON.stringify(hb), 'PX', ttlMs)
      .zadd(this.keys.workers(), Date.parse(hb.last_heartbeat_at), hb.id)
      .exec();
  }

  async remove(id: string): Promise<void> {
    await this.redis.multi().unlink(this.keys.worker(id)).zrem(this.keys.workers(), id).exec();
  }

  /** Every worker whose last heartbeat has not expired, newest beat first. */
  async list(): Promise<WorkerHeartbeat[]> {
    const ids = await this.redis.zrevrange(this.keys.workers(), 0, -1);
    if (ids.length === 0) return [];
    const raw = await this.redis.mget(...ids.map((id) => this.keys.worker(id)));
    const live: WorkerHeartbeat[] = [];
    const gone: string[] = [];
    ids.forEach((id, i) => {
      const hb = parseBeat(raw[i]);
      if (hb) live.push(hb);
      else gone.push(id);
    });
    // Ids of expired records; a worker that comes back re-adds itself on its next beat.
    if (gone.length) await this.redis.zrem(this.keys.workers(), ...gone);
    return live;
  }
}

function parseBeat(raw: string | null | undefined): WorkerHeartbeat | undefined {
  if (!raw) return undefined;
  try {
    const parsed = WorkerHeartbeat.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
