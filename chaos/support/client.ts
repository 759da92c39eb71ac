import type { JobRequestInput } from '@inferq/core';

/** One POST /v1/jobs: the id when the api answered 202, else the status (0 = no answer at all). */
export type SubmitResult = { ok: true; id: string } | { ok: false; status: number };

export async function submitJob(
  apiUrl: string,
  key: string,
  body: JobRequestInput,
  timeoutMs = 10_000,
): Promise<SubmitResult> {
  try {
    const res = await fetch(`${apiUrl}/v1/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const json = (await res.json().catch(() => ({}))) as { id?: unknown };
    if (res.status === 202 && typeof json.id === 'string') return { ok: true, id: json.id };
    return { ok: false, status: res.status };
  } catch {
    return { ok: false, status: 0 };
  }
}

/** The HTTP status of a GET (0 when nothing answered). */
export async function statusOf(url: string, key?: string, timeoutMs = 3000): Promise<number> {
  try {
    const res = await fetch(url, {
      headers: key ? { authorization: `Bearer ${key}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** A prompt unique to job i of a scenario: sim/echo and the fakes answer with it, so outputs are checkable. */
export function promptFor(scenario: string, i: number, words = 6): string {
  const filler = Array.from({ length: Math.max(0, words - 2) }, (_, k) => `w${k}`);
  return [scenario, `n${i}`, ...filler].join(' ');
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
