import type { ErrorCode, ErrorDetail, JobRecord } from './types';

/** Base of every error the SDK throws: `instanceof InferqError` catches them all. */
export class InferqError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The API answered with an error body `{ error: { code, message, details? } }`.
 * `code` is the API's stable code (`validation_error`, `not_found`, ...);
 * switch on it, not on the message.
 */
export class InferqApiError extends InferqError {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Seconds the server asked us to wait (429, 503), when it said. */
    readonly retryAfterS?: number,
  ) {
    super(`${code}: ${message}`);
  }
}

/** The server could not be reached, or the connection broke before an answer. */
export class InferqConnectionError extends InferqError {}

/** `jobs.wait` reached its deadline before the job finished; `job` is the last record seen. */
export class InferqTimeoutError extends InferqError {
  constructor(readonly job: JobRecord) {
    super(`job ${job.id} is still ${job.status} after the wait deadline`);
  }
}

/** A webhook's signature, timestamp or headers did not check out: do not trust the body. */
export class WebhookVerificationError extends InferqError {}

/** True for an API error, optionally of one code: `isApiError(err, 'not_found')`. */
export function isApiError(err: unknown, code?: ErrorCode): err is InferqApiError {
  return err instanceof InferqApiError && (code === undefined || err.code === code);
}
