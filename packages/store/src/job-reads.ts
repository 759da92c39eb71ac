import type { RedisClient as Redis } from './redis';
import type { JobList, JobStatus, RedisKeys } from '@inferq/core';
import { jobPool } from '@inferq/core';
import { byPool } from './job-pools';
import { decodePayload } from './payload-codec';
import { decodeJob } from './record-codec';
import type { StoredJob } from './record-codec';
import { listIds } from './tenant-index';

type Row = [Error | null, unknown];

/**
 * Records by id, each read with its payload's `out` (the output): one
 * pipeline per pool (a pipeline stays in one cluster slot), all sent at once.
 * The input is never read here (only the worker needs it, and it may be
 * megabytes). Missing records, and ids that name no pool, are undefined.
 */
export async function readJobs(redis: Redis, keys: RedisKeys, ids: string[]): Promise<Array<StoredJob | undefined>> {
  const out: Array<StoredJob | undefined> = new Array<StoredJob | undefined>(ids.length);
  // An id that names no pool names no job (every record lives in its pool's slot): nothing to read.
  const groups = [...byPool(ids)].filter(([pool]) => pool !== '').map(([, at]) => at);
  await Promise.all(
    groups.map(async (at) => {
      const jobs = await readSlot(
        redis,
        keys,
        at.map((i) => ids[i]),
      );
      at.forEach((i, j) => (out[i] = jobs[j]));
    }),
  );
  return out;
}

async function readSlot(redis: Redis, keys: RedisKeys, ids: string[]): Promise<Array<StoredJob | undefined>> {
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

/** The tenant's jobs over its per-pool indexes, merged newest first (see listIds). */
export function listJobs(
  redis: Redis,
  keys: RedisKeys,
  tenant: string,
  pools: readonly string[],
  q: { status?: JobStatus; limit: number; cursor?: string },
): Promise<JobList> {
  const index = {
    keys: pools.map((pool) => keys.tenantJobs(tenant, pool)),
    of: (id: string) => keys.tenantJobs(tenant, jobPool(id) ?? ''),
  };
  return listIds(redis, index, q, async (ids) => (await readJobs(redis, keys, ids)).map((job) => job?.record));
}
