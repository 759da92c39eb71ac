import { z } from 'zod';

/**
 * Typed errors with stable codes. The HTTP mapping lives here and only here:
 * an error's class decides its status, and `errorBody` builds every error body
 * the API sends.
 */
/** The API's error codes, one closed set; every error body carries one. */
export const ErrorCode = z.enum([
  'validation_error',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'idempotency_mismatch',
  'rate_limited',
  'queue_full',
  'budget_exceeded',
  'unavailable',
  'internal_error',
  // The OpenAI-compatible routes (SPEC section 10).
  'model_not_found',
  'timeout',
  'job_failed',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** One bad field of a validation error. */
export const ErrorDetail = z.object({ path: z.string(), message: z.string() });
export type ErrorDetail = z.infer<typeof ErrorDetail>;

/** Every error the API answers, whatever the route. */
export const ErrorBody = z.object({
  error: z.object({ code: ErrorCode, message: z.string(), details: z.array(ErrorDetail).optional() }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;
  abstract readonly httpStatus: number;
  /** Extra response headers, e.g. Retry-After. */
  headers: Record<string, string> = {};
  constructor(
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  readonly code = 'validation_error';
  readonly httpStatus = 400;
}
export class UnauthorizedError extends AppError {
  readonly code = 'unauthorized';
  readonly httpStatus = 401;
  constructor(message = 'missing or invalid API key') {
    super(message);
  }
}
export class ForbiddenError extends AppError {
  readonly code = 'forbidden';
  readonly httpStatus = 403;
}
export class NotFoundError extends AppError {
  readonly code = 'not_found';
  readonly httpStatus = 404;
  constructor(message = 'not found') {
    super(message);
  }
}
export class ConflictError extends AppError {
  readonly code = 'conflict';
  readonly httpStatus = 409;
}
export class PayloadTooLargeError extends AppError {
  readonly code = 'payload_too_large';
  readonly httpStatus = 413;
}
export class UnsupportedMediaTypeError extends AppError {
  readonly code = 'unsupported_media_type';
  readonly httpStatus = 415;
}
export class IdempotencyMismatchError extends AppError {
  readonly code = 'idempotency_mismatch';
  readonly httpStatus = 422;
}

/** 429s carry Retry-After (seconds). */
abstract class TooManyError extends AppError {
  readonly httpStatus = 429;
  constructor(message: string, retryAfterS: number) {
    super(message);
    this.headers['Retry-After'] = String(Math.max(1, Math.ceil(retryAfterS)));
  }
}
export class RateLimitedError extends TooManyError {
  readonly code = 'rate_limited';
}
export class QueueFullError extends TooManyError {
  readonly code = 'queue_full';
}
export class BudgetExceededError extends TooManyError {
  readonly code = 'budget_exceeded';
}
export class UnavailableError extends AppError {
  readonly code = 'unavailable';
  readonly httpStatus = 503;
  constructor(message = 'a dependency is unavailable, retry shortly') {
    super(message);
    this.headers['Retry-After'] = '1';
  }
}

/** 404 of the OpenAI-compatible routes for a model nothing here serves (OpenAI's own code). */
export class ModelNotFoundError extends AppError {
  readonly code = 'model_not_found';
  readonly httpStatus = 404;
  constructor(model: string) {
    super(`The model \`${model}\` does not exist on this deployment (see GET /v1/models)`, [
      { path: 'model', message: 'no such model' },
    ]);
  }
}

/**
 * A synchronous wait (POST /v1/chat/completions without stream) that ran out:
 * the job goes on. `x-should-retry: false` keeps the OpenAI SDKs from
 * submitting the same request again.
 */
export class WaitTimeoutError extends AppError {
  readonly code = 'timeout';
  readonly httpStatus = 504;
  constructor(jobId: string, waitedS: number) {
    super(`job ${jobId} did not finish within ${waitedS} s; it goes on: read it at GET /v1/jobs/${jobId}`);
    this.headers['x-should-retry'] = 'false';
  }
}

/**
 * A job that ended failed, answered synchronously: 400 when the provider
 * refused the request (the caller's to fix), else 502. Only a retryable
 * failure leaves the SDKs free to try again.
 */
export class JobFailedError extends AppError {
  readonly code = 'job_failed';
  readonly httpStatus: number;
  constructor(jobId: string, failure: { code: string; message: string; retryable: boolean }) {
    super(`job ${jobId} failed: ${failure.code}: ${failure.message}`);
    this.httpStatus = failure.code === 'provider_rejected' ? 400 : 502;
    if (!failure.retryable) this.headers['x-should-retry'] = 'false';
  }
}

/** The one place an error body is built. */
export function errorBody(code: ErrorCode, message: string, details?: ErrorDetail[]): ErrorBody {
  return { error: details ? { code, message, details } : { code, message } };
}

export interface ErrorResponse<B = ErrorBody> {
  status: number;
  headers: Record<string, string>;
  body: B;
}

/** What an error means over HTTP, whatever the body's shape. */
export interface MappedError {
  status: number;
  headers: Record<string, string>;
  code: ErrorCode;
  message: string;
  details?: ErrorDetail[];
}

/**
 * The mapping itself, which every renderer of an error body uses. Unknown errors become a 500 whose body carries only an
 * error id; the caller logs the real error under that id.
 */
export function mapError(err: unknown, errorId: string): MappedError {
  if (err instanceof AppError) {
    return { status: err.httpStatus, headers: err.headers, code: err.code, message: err.message, details: err.details };
  }
  return { status: 500, headers: {}, code: 'internal_error', message: `internal error (id ${errorId})` };
}

/** Maps any thrown value to a response in inferq's shape (SPEC section 4). */
export function toErrorResponse(err: unknown, errorId: string): ErrorResponse {
  const m = mapError(err, errorId);
  return { status: m.status, headers: m.headers, body: errorBody(m.code, m.message, m.details) };
}
