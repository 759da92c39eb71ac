import type { RedisClient as Redis } from './redis';

export interface IndexPage<T> {
  data: T[];
  hasMore: boolean;
}

/**
 * Newest-first pages over an index of ids (a zset, all scores 0, ids that
 * sort by creation time), OpenAI style: `after` is the last id of the
 * previous page. Ids whose object expired are skipped and dropped.
 */
export async function pageIndex<T>(
  redis: Redis,
  indexKey: string,
  q: { limit: number; after?: string },
  load: (ids: string[]) => Promise<Array<T | undefined>>,
  keep: (item: T) => boolean = () => true,
): Promise<IndexPage<T>> {
  const data: T[] = [];
  let max = q.after ? `(${q.after}` : '+';
  // Bounded: a page never scans more than ten index pages (filters may skip many).
  for (let round = 0; round < 10; round++) {
    const want = q.limit - data.length + 1;
    const ids = await redis.zrevrangebylex(indexKey, max, '-', 'LIMIT', 0, want);
    if (ids.length === 0) return { data, hasMore: false };
    const items = await load(ids);
    const gone = ids.filter((_, i) => items[i] === undefined);
    if (gone.length) await redis.zrem(indexKey, ...gone);
    for (const item of items) {
      if (item === undefined || !keep(item)) continue;
      if (data.length === q.limit) return { data, hasMore: true };
      data.push(item);
    }
    if (ids.length < want) return { data, hasMore: false };
    max = `(${ids[ids.length - 1]}`;
  }
  return { data, hasMore: true };
}
