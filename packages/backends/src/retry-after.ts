import { parseRetryAfterMs } from '@inferq/core';

/** The part of a fetch Headers we read; both SDKs put one on their errors. */
export interface HeaderReader {
  get(name: string): string | null;
}

/**
 * How long the provider asked us to wait, in ms: `retry-after-ms` (OpenAI's
 * non-standard header, more precise) first, then `retry-after` as seconds or
 * an HTTP date. Undefined when absent or unreadable.
 */
export function retryAfterMs(headers: HeaderReader | undefined, now = Date.now()): number | undefined {
  const ms = headers?.get('retry-after-ms')?.trim();
  if (ms) {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return Math.round(n);
  }
  return parseRetryAfterMs(headers?.get('retry-after'), now);
}
