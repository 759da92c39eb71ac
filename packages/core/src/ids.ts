import { randomFillSync } from 'node:crypto';
import { decodeTime, encodeTime, monotonicFactory } from 'ulidx';

/**
 * ulidx's own PRNG asks the OS for one byte per character (16 calls, each
 * allocating a typed array, per new ULID): the same CSPRNG bytes, in the
 * same byte/255 form, drawn from a pool refilled 4 KB at a time.
 */
const randomPool = new Uint8Array(4096);
let poolNext = randomPool.length;
function pooledRandom(): number {
  if (poolNext === randomPool.length) {
    randomFillSync(randomPool);
    poolNext = 0;
  }
  return randomPool[poolNext++] / 0xff;
}

const ulid = monotonicFactory(pooledRandom);

/** Crockford base32 ULID (26 characters) after `job_`, then `_<pool>`. */
const ULID_END = 4 + 26;

/**
 * `job_` + a ULID + `_<pool>`: sorts by creation time as a string,
 * unguessable enough to be no secret, URL-safe, and it names the pool whose
 * hash slot holds the job's record, events and payload (SPEC section 12): a
 * job is found from its id alone on a Redis Cluster.
 */
export function newJobId(pool: string): string {
  return `job_${ulid()}_${pool}`;
}

/** The smallest job id that could have been created at `ms`: a lexicographic bound for time ranges. */
export function jobIdLowerBound(ms: number): string {
  return `job_${encodeTime(ms, 10)}`;
}

export const JOB_ID_PATTERN = /^job_[0-9A-HJKMNP-TV-Z]{26}_[a-z0-9_-]{1,64}$/;

/** When a job id was made (ms), from its ULID; null for anything that is not a job id. */
export function jobIdTime(id: string): number | null {
  return JOB_ID_PATTERN.test(id) ? decodeTime(id.slice(4, ULID_END)) : null;
}

/** The pool a job id names (the part after the ULID); undefined for anything that is not a job id. */
export function jobPool(id: string): string | undefined {
  return JOB_ID_PATTERN.test(id) ? id.slice(ULID_END + 1) : undefined;
}
