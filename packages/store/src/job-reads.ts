import type { RedisClient as Redis } from './redis';
import type { RedisKeys } from '@inferq/core';
import { decodePayload } from './payload-codec';
import { decodeJob } from './record-codec';
import type { StoredJob } from './record-codec';

type Row = [Error | null, unknown];

/**
 * Records by id, each read with its payload's `out` (the output), all in one
 * pipeline: one round trip however many. The input is never read here (only
 * the worker needs it, and it may be megabytes). Missing records are undefined.
 */
export async function readJobs(redis: Redis, keys: RedisKeys, ids: string[]): Promise<Array<StoredJob | undefined>> {
  const pipe = redis.pipeline();
  for (const id of ids) pipe.hgetall(keys.job(id)).hgetBuffer(keys.jobPayload(id), 'out');
  const rows: Row[] = (await pipe.exec()) ?? [];
  return Promise.all(
    ids.map(async (id, i) => {
      const [hErr, h] = rows[2 * i] ?? [null, undefined];
      const [outErr, out] = rows[2 * i + 1] ?? [null, null];
      if (hErr) throw hErr;
      if (outErr) throw outErr;
      const hash = h as Record<string, string> | undefined;
      if (!hash?.status) return undefined;
      const text = Buffer.isBuffer(out) ? await decodePayload(out) : null;
      return decodeJob(id, hash, text);
    }),
  );
}
