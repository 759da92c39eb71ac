import { QUEUES } from '@inferq/core';
import type { JobError } from '@inferq/core';

/** Thrown out of the processor so BullMQ retries; carries the provider's Retry-After. */
export class RetryableJobError extends Error {
  constructor(
    readonly jobError: JobError,
    readonly retryAfterMs: number | undefined,
  ) {
    super(jobError.message);
    this.name = 'RetryableJobError';
  }
}

const MAX_DELAY_MS = QUEUES.pool.backoff.maxDelayMs;

/**
 * Exponential backoff with jitter: attempt n waits base * 2^(n-1), scaled by a
 * random factor in [0.5, 1) so a provider outage does not get a thundering
 * herd back, and never less than the provider's Retry-After.
 */
export function backoffDelayMs(
  attemptsMade: number,
  baseMs: number,
  retryAfterMs?: number,
  random = Math.random,
): number {
  const exp = Math.min(MAX_DELAY_MS, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  const jittered = Math.round(exp * (0.5 + random() / 2));
  return Math.max(jittered, retryAfterMs ?? 0);
}

export function retryStrategy(baseMs: number) {
  return (attemptsMade: number, _type?: string, err?: Error): number =>
    backoffDelayMs(attemptsMade, baseMs, err instanceof RetryableJobError ? err.retryAfterMs : undefined);
}
