import {
  AppError,
  PayloadTooLargeError,
  UnavailableError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '@inferq/core';

/**
 * Turns errors raised below the handlers (body parsing, the router, Redis)
 * into AppErrors, in this one place. Anything else is returned unchanged and
 * becomes a 500 with a logged error id.
 */
export function toAppError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  if (isRedisDownError(err)) return new UnavailableError('Redis is unavailable, retry shortly');
  return fromHttpError(err) ?? err;
}

// `Too many Cluster redirections`: a Cluster client gave up on a slot whose master is down or
// restarting (its last error MOVED, CLUSTERDOWN or a closed connection), as a master restart
// from its AOF showed; that is a 503 like a standalone outage, not a 500.
const REDIS_DOWN_MESSAGE =
  /Connection is closed|enableOfflineQueue|Stream isn't writeable|max retries per request|Too many Cluster redirections|^(LOADING|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|OOM)\b/i;
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * ioredis failures that mean "Redis is down or refusing writes" rather than a
 * bug: the fail-fast request connection rejects at once while disconnected
 * (offline queue off), gives up after one retry, or Redis answers LOADING,
 * READONLY or OOM (noeviction at maxmemory); a Cluster client runs out of
 * redirections for a slot whose master is down. The api talks to nothing else, so
 * a network error code is Redis too.
 */
export function isRedisDownError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'MaxRetriesPerRequestError' || err.name === 'ClusterAllFailedError') return true;
  const code = (err as NodeJS.ErrnoException).code;
  return REDIS_DOWN_MESSAGE.test(err.message) || (typeof code === 'string' && NETWORK_CODES.has(code));
}

interface HttpError {
  type?: unknown;
  status?: unknown;
  limit?: unknown;
  message: string;
}

/** body-parser and router errors carry a `type` and a 4xx `status`: the client's mistake, never a 5xx. */
function fromHttpError(err: unknown): AppError | undefined {
  if (!(err instanceof Error)) return undefined;
  const e = err as Error & HttpError;
  switch (e.type) {
    case 'entity.parse.failed':
      return new ValidationError('malformed JSON body', [{ path: 'body', message: 'is not valid JSON' }]);
    case 'entity.too.large':
      return new PayloadTooLargeError(`request body is larger than ${String(e.limit)} bytes`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError(e.message);
  }
  if (typeof e.status !== 'number' || e.status < 400 || e.status > 499) return undefined;
  if (e.status === 413) return new PayloadTooLargeError(e.message);
  if (e.status === 415) return new UnsupportedMediaTypeError(e.message);
  return new ValidationError(e.message);
}
