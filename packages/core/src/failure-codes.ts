import { z } from 'zod';

/**
 * The closed set of reasons a job can fail. Stable strings: clients switch on
 * them, so never rename one. Documented in the root README.
 */
export const FailureCode = z.enum([
  'provider_rate_limited', // the provider answered 429
  'provider_unavailable', // 5xx, connection refused or reset
  'provider_timeout', // the provider call exceeded its own deadline
  'provider_rejected', // the provider refused the request (4xx other than 429)
  'provider_auth', // the provider refused our credentials (401/403)
  'timeout', // the job's timeout_s ran out
  'invalid_payload', // the dequeued job did not parse: a bug or a tampered queue
  'unknown_model', // no backend serves this model on this worker
  'stalled', // the job's worker died more often than max_attempts allows
  'deadline_exceeded', // the job was still queued when its deadline_s ran out; no backend was called
  'internal', // anything unexpected inside inferq
]);
export type FailureCode = z.infer<typeof FailureCode>;

/** Whether a failure of this kind is worth another attempt. */
export function isRetryable(code: FailureCode): boolean {
  switch (code) {
    case 'provider_rate_limited':
    case 'provider_unavailable':
    case 'provider_timeout':
    case 'internal':
      return true;
    case 'provider_rejected':
    case 'provider_auth':
    case 'timeout':
    case 'invalid_payload':
    case 'unknown_model':
    case 'stalled':
    case 'deadline_exceeded':
      return false;
    default:
      return assertNever(code);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${String(value)}`);
}
