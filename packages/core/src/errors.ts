/**
 * Typed errors with stable codes. The HTTP mapping lives here and only here:
 * an error's class decides its status, and `errorBody` builds every error body
 * the API sends.
 */
export type ErrorCode =
  | 'validation_error'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'idempotency_mismatch'
  | 'rate_limited'
  | 'queue_full'
  | 'budget_exceeded'
  | 'unavailable'
  | 'internal_error';

export interface ErrorDetail {
  path: string;
  message: string;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: ErrorDetail[] };
}

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

/** The one place an error body is built. */
export function errorBody(code: ErrorCode, message: string, details?: ErrorDetail[]): ErrorBody {
  return { error: details ? { code, message, details } : { code, message } };
}

export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: ErrorBody;
}

/**
 * Maps any thrown value to a response. Unknown errors become a 500 whose body
 * carries only an error id; the caller logs the real error under that id.
 */
export function toErrorResponse(err: unknown, errorId: string): ErrorResponse {
  if (err instanceof AppError) {
    return { status: err.httpStatus, headers: err.headers, body: errorBody(err.code, err.message, err.details) };
  }
  return {
    status: 500,
    headers: {},
    body: errorBody('internal_error', `internal error (id ${errorId})`),
  };
}
