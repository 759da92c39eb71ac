import autocannon from 'autocannon';
import { JOB_BODY } from './systems';
import type { System } from './systems';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  requests: number;
}

/** Drives POST /v1/jobs with autocannon: for a duration (s) or a fixed amount of requests (of JOB_BODY unless `body`). */
export async function submitLoad(
  sys: Pick<System, 'url' | 'headers'>,
  o: { connections: number; durationS?: number; amount?: number; body?: string },
): Promise<LoadResult> {
  const result = await autocannon({
    url: `${sys.url}/v1/jobs`,
    method: 'POST',
    headers: sys.headers,
    body: o.body ?? JOB_BODY,
    connections: o.connections,
    ...(o.amount ? { amount: o.amount } : { duration: o.durationS ?? 5 }),
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    requests: result.requests.total,
  };
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once `completed()` reaches `target`; returns the time it happened. */
export async function waitCompleted(sys: System, target: number, timeoutMs = 120_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await sys.completed()) >= target) return Date.now();
    if (Date.now() > deadline) throw new Error(`${sys.name}: only ${await sys.completed()} of ${target} jobs finished`);
    await sleep(20);
  }
}
