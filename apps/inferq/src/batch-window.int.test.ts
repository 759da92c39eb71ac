import { JobRecord } from '@inferq/core';
import { dropPrefix, testPrefix } from '@inferq/testkit';
import { startApiAndWorker } from '@inferq/test-stack';
import type { ApiAndWorker } from '@inferq/test-stack';
import { BatchHttp, chatLine, jsonl } from './test/batch-fixtures';

/**
 * A pool with few slots and slow jobs (about 100 ms each, 4 at a time): a
 * batch of hundreds of requests takes many seconds, so a short completion
 * window runs out, and interactive jobs arrive while it runs.
 */
const prefix = testPrefix('batch-window');
const KEY = 'batch_window_key_0123456';
let sys: ApiAndWorker;
let http: BatchHttp;
const SLOTS = 4;

beforeAll(async () => {
  sys = await startApiAndWorker(prefix, {
    API_KEYS: `acme:${KEY}`,
    WORKER_CONCURRENCY: String(SLOTS),
    SIM_TTFT_MS: '100',
    SIM_TOKEN_MS: '0',
  });
  http = new BatchHttp(sys.api.url, KEY);
});
afterAll(async () => {
  await sys.close();
  await dropPrefix(prefix);
});

const auth = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };

async function job(id: string): Promise<JobRecord> {
  return JobRecord.parse(await (await fetch(`${sys.api.url}/v1/jobs/${id}?wait=30`, { headers: auth })).json());
}

it('gives way to interactive jobs: each starts after a few batch jobs, not after the batch', async () => {
  const lines = Array.from({ length: 300 }, (_, i) => chatLine(`b-${i}`, 'sim/echo', `batch ${i}`));
  const batch = await http.create(await http.uploadOk(jsonl(lines)));
  await http.until(batch.id, ['in_progress']);
  const interactive: string[] = [];
  for (let k = 0; k < 4; k++) {
    await new Promise((r) => setTimeout(r, 500));
    const res = await fetch(`${sys.api.url}/v1/jobs`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ model: 'sim/echo', input: { prompt: `interactive ${k}` } }),
    });
    interactive.push(((await res.json()) as { id: string }).id);
  }
  const done = await http.until(batch.id, ['completed'], 120_000);
  const out = await http.lines(done.output_file_id);
  expect(out).toHaveLength(300);
  const batchStarts = await Promise.all(
    out.map(async (l) => Date.parse((await job(l.response!.request_id)).started_at!)),
  );
  for (const id of interactive) {
    const rec = await job(id);
    expect(rec.status).toBe('succeeded');
    const submitted = Date.parse(rec.created_at);
    const started = Date.parse(rec.started_at!);
    // Batch jobs that started while this one waited: at most the slots busy when it arrived, and a few more.
    const overtook = batchStarts.filter((s) => s > submitted && s < started).length;
    expect(overtook).toBeLessThanOrEqual(2 * SLOTS);
    expect(started).toBeLessThan(done.completed_at! * 1000);
  }
}, 150_000);

it('expires when its window runs out: what finished is kept, the rest canceled and in the error file', async () => {
  const lines = Array.from({ length: 200 }, (_, i) => chatLine(`e-${i}`, 'sim/echo', `expire ${i}`));
  const batch = await http.create(await http.uploadOk(jsonl(lines)), '3s');
  const done = await http.until(batch.id, ['expired', 'completed'], 60_000);
  expect(done.status).toBe('expired');
  expect(done.expired_at).not.toBeNull();
  const { total, completed, failed } = done.request_counts;
  expect(total).toBe(200);
  expect(completed).toBeGreaterThan(0);
  expect(completed + failed).toBeLessThan(200);
  const out = await http.lines(done.output_file_id);
  const errors = await http.lines(done.error_file_id);
  expect(out).toHaveLength(completed);
  expect(new Set([...out, ...errors].map((l) => l.custom_id)).size).toBe(200);
  expect(errors.filter((e) => e.error?.code === 'batch_expired')).toHaveLength(200 - completed - failed);
  // Nothing of the batch is left to run.
  const list = await fetch(`${sys.api.url}/v1/jobs?status=queued&limit=100`, { headers: auth }).then(
    (r) => r.json() as Promise<{ data: unknown[] }>,
  );
  expect(list.data).toEqual([]);
}, 90_000);
