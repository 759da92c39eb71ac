/** Which answers the SDK retries by itself: the server said "not now", never "no". */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/**
 * How long to wait (ms) before retry number `attempt` (1-based): the
 * server's Retry-After when it sent one (seconds or an HTTP date), else
 * exponential backoff from `baseMs` with full jitter; never above `maxMs`.
 */
export function retryDelayMs(
  retryAfter: string | null,
  attempt: number,
  opts: { baseMs: number; maxMs: number; now?: number; random?: () => number },
): number {
  const fromHeader = parseRetryAfterMs(retryAfter, opts.now ?? Date.now());
  if (fromHeader !== undefined) return Math.min(fromHeader, opts.maxMs);
  const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * (opts.random ?? Math.random)());
}

export function parseRetryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Resolves after `ms`, or rejects at once when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
