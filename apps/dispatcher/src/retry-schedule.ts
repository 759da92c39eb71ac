import { parseDurationMs } from '@inferq/core';

/** Thrown by the processor on a failed attempt that may be retried; carries the receiver's Retry-After. */
export class DeliveryRetryError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
    this.name = 'DeliveryRetryError';
  }
}

/** `5s,5m,30m` -> [5000, 300000, 1800000]; undefined when any item is not a duration. */
export function parseRetrySchedule(text: string): number[] | undefined {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const delays = items.map(parseDurationMs);
  if (delays.length === 0 || delays.some((d) => d === undefined)) return undefined;
  return delays as number[];
}

/**
 * BullMQ backoff strategy over WEBHOOK_RETRY_SCHEDULE: the delay before
 * attempt n+1 is the schedule's n-th entry (the last one repeats should a job
 * carry more attempts), never sooner than the receiver's Retry-After.
 */
export function scheduleBackoff(schedule: readonly number[]) {
  return (attemptsMade: number, _type?: string, err?: Error): number => {
    const i = Math.min(Math.max(attemptsMade, 1), schedule.length) - 1;
    const planned = schedule[i] ?? 0;
    const retryAfter = err instanceof DeliveryRetryError ? (err.retryAfterMs ?? 0) : 0;
    return Math.max(planned, retryAfter);
  };
}
