import type { RedisClient } from './redis';
import type { JobList, JobRecord, JobStatus } from '@inferq/core';

const PAGE = 100;
/** Pages scanned per request when filtering by status, so one call stays bounded. */
const MAX_PAGES = 10;

/** A tenant's job index, one zset per pool, and which of them holds an id. */
export interface SplitIndex {
  keys: string[];
  of: (id: string) => string;
}

/**
 * Newest-first listing over a tenant's index (zsets of job ids, all scores 0,
 * so ZREVRANGEBYLEX walks each by creation time; pages of every pool merged).
 * The cursor is the last id returned. Ids whose record expired are skipped and
 * dropped from the index.
 */
export async function listIds(
  redis: RedisClient,
  index: SplitIndex,
  q: { status?: JobStatus; limit: number; cursor?: string },
  load: (ids: string[]) => Promise<Array<JobRecord | undefined>>,
): Promise<JobList> {
  const data: JobRecord[] = [];
  let max = q.cursor ? `(${q.cursor}` : '+';
  for (let page = 0; page < MAX_PAGES; page++) {
    const want = q.status ? PAGE : q.limit - data.length + 1;
    const ids = await mergedPage(redis, index.keys, max, want);
    if (ids.length === 0) return { data, next_cursor: null };
    const records = await load(ids);
    const gone = ids.filter((_, i) => records[i] === undefined);
    await Promise.all(gone.map((id) => redis.zrem(index.of(id), id)));
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

/** The `want` newest ids below `max` over every pool's index (ids sort by creation time across pools). */
async function mergedPage(redis: RedisClient, keys: string[], max: string, want: number): Promise<string[]> {
  const pages = await Promise.all(keys.map((key) => redis.zrevrangebylex(key, max, '-', 'LIMIT', 0, want)));
  if (pages.length === 1) return pages[0];
  return pages
    .flat()
    .sort((a, b) => (a < b ? 1 : a > b ? -1 : 0))
    .slice(0, want);
}
