import { median, percentile, sleep, submitLoad, waitCompleted } from './load';
import type { System } from './systems';

export interface BatchFigures {
  requests: number;
  /** The requests as one batch (/v1/files + /v1/batches): create to completed. */
  batchJobsPerS: number;
  /** The same requests one by one through POST /v1/jobs (50 connections), to the last finished. */
  oneByOneJobsPerS: number;
  /** Queue wait (submit -> running) of interactive jobs submitted while the batch ran, ms. */
  interactiveQueueMs: { n: number; p50: number; p99: number; max: number };
}

const line = (i: number): string =>
  JSON.stringify({
    custom_id: `b${i}`,
    method: 'POST',
    url: '/v1/chat/completions',
    body: { model: 'sim/echo', messages: [{ role: 'user', content: 'hello from the benchmark' }] },
  });

async function json<T>(sys: System, method: string, path: string, body?: object | FormData): Promise<T> {
  const form = body instanceof FormData;
  const headers = form ? { authorization: sys.headers.authorization ?? '' } : sys.headers;
  const res = await fetch(`${sys.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : form ? body : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/**
 * The Batch API against the same requests one by one: N sim requests as one
 * batch, timed from its creation (the upload is not counted) to `completed`;
 * the same N through POST /v1/jobs. While the batch runs, an interactive job
 * every 100 ms, whose queue wait shows whether the batch gives way.
 */
export async function batchBench(sys: System, requests: number): Promise<BatchFigures> {
  const base = await sys.completed();
  const t0 = Date.now();
  const load = submitLoad(sys, { connections: 50, amount: requests });
  const oneByOneDone = await waitCompleted(sys, base + requests, 300_000);
  await load;
  await sleep(1000);

  const form = new FormData();
  form.append('purpose', 'batch');
  form.append('file', new Blob([Array.from({ length: requests }, (_, i) => line(i)).join('\n')]), 'bench.jsonl');
  const file = await json<{ id: string }>(sys, 'POST', '/v1/files', form);
  const b0 = Date.now();
  const batch = await json<{ id: string }>(sys, 'POST', '/v1/batches', {
    input_file_id: file.id,
    endpoint: '/v1/chat/completions',
    completion_window: '24h',
  });
  const interactive: Array<Promise<number | undefined>> = [];
  let b1 = 0;
  for (;;) {
    const b = await json<{ status: string }>(sys, 'GET', `/v1/batches/${batch.id}`);
    if (b.status !== 'validating' && b.status !== 'in_progress' && b.status !== 'finalizing') {
      b1 = Date.now();
      if (b.status !== 'completed') throw new Error(`batch ended ${b.status}`);
      break;
    }
    if (b.status === 'in_progress') interactive.push(queueWait(sys));
    await sleep(100);
  }
  const waits = (await Promise.all(interactive)).filter((w): w is number => w !== undefined);
  return {
    requests,
    batchJobsPerS: Math.round((requests * 1000) / (b1 - b0)),
    oneByOneJobsPerS: Math.round((requests * 1000) / (oneByOneDone - t0)),
    interactiveQueueMs: {
      n: waits.length,
      p50: waits.length ? median(waits) : NaN,
      p99: percentile(waits, 99),
      max: waits.length ? Math.max(...waits) : NaN,
    },
  };
}

/** Submits one interactive (normal priority) job and returns its queue wait once it has run. */
async function queueWait(sys: System): Promise<number | undefined> {
  const { id } = await json<{ id: string }>(sys, 'POST', '/v1/jobs', {
    model: 'sim/echo',
    input: { prompt: 'interactive' },
  });
  const rec = await json<{ timings: { queue_ms: number | null } }>(sys, 'GET', `/v1/jobs/${id}?wait=60`);
  return rec.timings.queue_ms ?? undefined;
}
