import type { FailureCode } from '@inferq/core';
import { BackendError } from './backend-error';
import { retryAfterMs, type HeaderReader } from './retry-after';

/**
 * What an SDK error says, read by each adapter from its own SDK's classes so
 * this module depends on neither SDK.
 */
export interface ProviderErrorView {
  /** HTTP status, when the provider answered. */
  status?: number;
  headers?: HeaderReader;
  /** The error `type` of an error sent inside a stream (no status then). */
  streamErrorType?: string;
  /** The SDK's own deadline ran out. */
  timeout: boolean;
  /** The SDK could not reach the provider. */
  connection: boolean;
}

// Socket-level failures from node and undici, wherever they sit in the cause chain.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const UNAVAILABLE_MESSAGE = /socket hang up|other side closed|^terminated$|fetch failed|premature close/i;

function networkCode(err: unknown): 'timeout' | 'unavailable' | undefined {
  const chain: Error[] = [];
  for (let e = err; e instanceof Error && chain.length < 6; e = e.cause) chain.push(e);
  const codes = chain.map((e) => ('code' in e && typeof e.code === 'string' ? e.code : ''));
  // Codes first: undici wraps a connect timeout in a generic "fetch failed".
  if (codes.some((c) => TIMEOUT_CODES.has(c))) return 'timeout';
  if (codes.some((c) => UNAVAILABLE_CODES.has(c))) return 'unavailable';
  return chain.some((e) => UNAVAILABLE_MESSAGE.test(e.message)) ? 'unavailable' : undefined;
}

function codeForStatus(status: number): FailureCode {
  if (status === 429) return 'provider_rate_limited';
  // 408 is the provider saying it timed out waiting: worth another attempt.
  if (status === 408) return 'provider_timeout';
  if (status === 401 || status === 403) return 'provider_auth';
  if (status >= 400 && status < 500) return 'provider_rejected';
  if (status >= 500) return 'provider_unavailable';
  return 'internal';
}

/** Errors sent mid-stream carry no status, only the provider's error type. */
function codeForStreamType(type: string): FailureCode {
  if (/rate_limit|^requests$|^tokens$/.test(type)) return 'provider_rate_limited';
  if (/authentication|permission/.test(type)) return 'provider_auth';
  if (/invalid_request|not_found|request_too_large/.test(type)) return 'provider_rejected';
  return 'provider_unavailable'; // overloaded_error, api_error, server_error, ...
}

function decide(view: ProviderErrorView, err: unknown): FailureCode {
  if (view.timeout) return 'provider_timeout';
  if (view.status !== undefined) return codeForStatus(view.status);
  if (view.streamErrorType) return codeForStreamType(view.streamErrorType);
  const net = networkCode(err);
  if (net === 'timeout') return 'provider_timeout';
  if (net === 'unavailable' || view.connection) return 'provider_unavailable';
  return 'internal';
}

/** Turns any failure of a provider call into a BackendError with a stable code. */
export function classifyProviderError(provider: string, err: unknown, view: ProviderErrorView): BackendError {
  if (err instanceof BackendError) return err;
  const code = decide(view, err);
  const message = `${provider}: ${err instanceof Error ? err.message : String(err)}`;
  return new BackendError(code, message, {
    status: view.status,
    retryAfterMs:
      code === 'provider_rate_limited' || code === 'provider_unavailable' ? retryAfterMs(view.headers) : undefined,
    cause: err,
  });
}
