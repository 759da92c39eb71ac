import { parseRetryAfterMs as parseHeader } from '@inferq/core';

/** Longest Retry-After a receiver can impose (ms): one day, so a typo cannot park a delivery forever. */
const MAX_RETRY_AFTER_MS = 24 * 3600_000;

/** A receiver's Retry-After in ms from now (core's parser), at most a day; undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const ms = parseHeader(value, now);
  return ms === undefined ? undefined : Math.min(ms, MAX_RETRY_AFTER_MS);
}
