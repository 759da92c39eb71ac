import { ConflictError, JobFailedError, NotFoundError } from '@inferq/core';
import type { AppError, JobRecord } from '@inferq/core';

/**
 * Why a job answered synchronously gives no completion, as an error of the
 * one mapping: its failure (400 when the provider refused the request, else
 * 502), a cancel by someone else (409), or a record already gone (404). Each
 * carries `x-inferq-job-id`; none invites the SDKs to submit again unless the
 * failure was retryable.
 */
export function outcomeError(id: string, record: JobRecord | null): AppError {
  if (!record) return withJobId(new NotFoundError(`job ${id} is gone`), id, false);
  if (record.status === 'canceled') return withJobId(new ConflictError(`job ${id} was canceled`), id, false);
  const failure = record.error ?? { code: 'internal', message: `job ended ${record.status}`, retryable: false };
  return withJobId(new JobFailedError(id, failure), id);
}

/** Names the job on an error's answer; `retry: false` also tells the SDKs not to submit again. */
export function withJobId<E extends AppError>(err: E, id: string, retry?: false): E {
  err.headers['x-inferq-job-id'] = id;
  if (retry === false) err.headers['x-should-retry'] = 'false';
  return err;
}
