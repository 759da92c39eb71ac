import { createHash } from 'node:crypto';
import { encodeTime, monotonicFactory } from 'ulidx';

const ulid = monotonicFactory();
/** Crockford base32, the alphabet of ULIDs (and so of job ids). */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export const FILE_ID_PATTERN = /^file-[0-9A-HJKMNP-TV-Z]{26}$/;
export const BATCH_ID_PATTERN = /^batch_[0-9A-HJKMNP-TV-Z]{26}$/;

/** `file-` + a ULID, OpenAI's prefix; sorts by creation time. */
export function newFileId(): string {
  return `file-${ulid()}`;
}

/** `batch_` + a ULID, OpenAI's prefix; sorts by creation time. */
export function newBatchId(): string {
  return `batch_${ulid()}`;
}

/** The smallest file id that could have been created at `ms`: a lexicographic bound for trimming. */
export function fileIdLowerBound(ms: number): string {
  return `file-${encodeTime(ms, 10)}`;
}

/**
 * The job id of request `index` of a batch: the same on every call, so a
 * batch runner that resumes after a crash finds (rather than repeats) the
 * jobs its predecessor created. A valid job id: the batch's creation time,
 * then 16 characters of SHA-256 over batch id and index, then the pool of the
 * request's model (which locates the job, as in every job id).
 */
export function batchJobId(batchId: string, batchCreatedMs: number, index: number, pool: string): string {
  return `job_${batchJobUlid(batchId, batchCreatedMs, index)}_${pool}`;
}

function batchJobUlid(batchId: string, batchCreatedMs: number, index: number): string {
  const digest = createHash('sha256').update(`${batchId}:${index}`).digest();
  let tail = '';
  for (let i = 0; i < 16; i++) tail += CROCKFORD[digest[i] % 32];
  return `${encodeTime(batchCreatedMs, 10)}${tail}`;
}

/** The `id` of a batch output line (OpenAI's `batch_req_...`), from the job that answered it (or would have). */
export function batchRequestId(jobId: string): string {
  return `batch_req_${jobId.slice('job_'.length)}`;
}
