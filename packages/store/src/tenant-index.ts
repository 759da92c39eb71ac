import type { RedisClient } from './redis';
import type { JobList, JobRecord, JobStatus } from '@inferq/core';

const PAGE = 100;
/** Pages scanned per request when filtering by status, so one call stays bounded. */
const MAX_PAGES = 10;

/**
 * Newest-first listing over a tenant's index (a zset of job ids, all scores 0,
 * so ZREVRANGEBYLEX walks them by creation time). The cursor is the last id
 * returned. Ids whose record expired are skipped and dropped from the index.
 */
export async function listIds(
  redis: RedisClient,
  indexKey: string,
  q: { status?: JobStatus; limit: number; cursor?: string },
  load: (ids: string[]) => Promise<Array<JobRecord | undefined>>,
): Promise<JobList> {
  const data: JobRecord[] = [];
  let max = q.cursor ? `(${q.cursor}` : '+';
  for (let page = 0; page < MAX_PAGES; page++) {
    const want = q.status ? PAGE : q.limit - data.length + 1;
    const ids = await redis.zrevrangebylex(indexKey, max, '-', 'LIMIT', 0, want);
    if (ids.length === 0) return { data, next_cursor: null };
    const records = await load(ids);
    const gone = ids.filter((_, i) => records[i] === undefined);
    if (gone.length) await redis.zrem(indexKey, ...gone);
    for (let i = 0; i < ids.length; i++) {
      const r = records[i];
      if (!r || (q.status && r.status !== q.status)) continue;
      if (data.length === q.limit) return { data, next_cursor: data[data.length - 1].id };
      data.push(r);
    }
    if (ids.length < want) return { data, next_cursor: null };
    max = `(${ids[ids.length - 1]}`;
  }
  // Bounded scan: hand the caller a cursor to continue from.
  return { data, next_cursor: max.slice(1) };
}
