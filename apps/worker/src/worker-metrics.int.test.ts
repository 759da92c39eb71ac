import { WorkerRegistry } from '@inferq/store';
import { promValue, startFakeOpenAI } from '@inferq/testkit';
import type { FakeProvider } from '@inferq/testkit';
import { startWorker } from './index';
import type { RunningWorker } from './index';
import { workerHarness } from './test/worker-harness';

// Metric values after a known set of jobs, read from the worker's real /metrics.
const h = workerHarness('wmetrics');
const METRICS_TOKEN = 'metrics-token-for-the-worker-test';
let fake: FakeProvider;
let worker: RunningWorker;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  h.modelsFile([]);
  worker = await startWorker(
    h.config({ OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'sk-test', METRICS_TOKEN, WORKER_CONCURRENCY: '4' }),
  );
});
afterAll(async () => {
  await worker.close();
  await fake.close();
  await h.close();
});

const scrape = async (): Promise<string> => {
  const res = await fetch(`http://127.0.0.1:${worker.metricsPort}/metrics`, {
    headers: { Authorization: `Bearer ${METRICS_TOKEN}` },
  });
  expect(res.status).toBe(200);
  return res.text();
};

/** Scrapes until `ok` holds, or 5 s have passed (the last scrape either way). */
async function scrapeUntil(ok: (text: string) => boolean): Promise<string> {
  const deadline = Date.now() + 5000;
  let text = await scrape();
  while (!ok(text) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    text = await scrape();
  }
  return text;
}

it('counts finished jobs, tokens, backend errors and latencies by model, without job ids', async () => {
  const prompts = ['one two three', 'four five', 'six'];
  const ids = await Promise.all(prompts.map((p) => h.submit({ model: 'sim/echo', input: { prompt: p } })));
  fake.script({
    kind: 'status',
    status: 400,
    body: { error: { message: 'bad request', type: 'invalid_request_error' } },
  });
  const failing = await h.submit({ model: 'openai/gpt-4o-mini', input: { prompt: 'refuse me' } });
  const records = await Promise.all([...ids, failing].map((id) => h.terminal(id)));
  expect(records.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'failed']);

  const text = await scrape();
  const v = (name: string, labels: Record<string, string>) => promValue(text, name, labels);
  expect(v('inferq_jobs_finished_total', { model: 'sim/echo', status: 'succeeded' })).toBe(3);
  expect(v('inferq_jobs_finished_total', { model: 'openai/gpt-4o-mini', status: 'failed' })).toBe(1);
  expect(v('inferq_tokens_total', { model: 'sim/echo', direction: 'output' })).toBe(6);
  const input = records.slice(0, 3).reduce((n, r) => n + (r.usage?.input_tokens ?? 0), 0);
  expect(v('inferq_tokens_total', { model: 'sim/echo', direction: 'input' })).toBe(input);
  expect(v('inferq_backend_errors_total', { provider: 'openai', code: 'provider_rejected' })).toBe(1);
  expect(v('inferq_job_queue_wait_seconds_count', { model: 'sim/echo', pool: 'default' })).toBe(3);
  expect(v('inferq_job_run_seconds_count', { model: 'sim/echo', pool: 'default' })).toBe(3);
  expect(v('inferq_job_ttft_seconds_count', { model: 'sim/echo', pool: 'default' })).toBe(3);
  expect(v('inferq_job_run_seconds_count', { model: 'openai/gpt-4o-mini', pool: 'default' })).toBe(1);
  // Queue depth, read from BullMQ at scrape time: the failed job is kept in the failed set. BullMQ
  // moves it there after its record is failed (the processor throws once the record is written).
  const depth = await scrapeUntil(
    (t) => promValue(t, 'inferq_queue_jobs', { queue: 'pool-default', state: 'failed' }) === 1,
  );
  expect(promValue(depth, 'inferq_queue_jobs', { queue: 'pool-default', state: 'failed' })).toBe(1);
  expect(promValue(depth, 'inferq_queue_jobs', { queue: 'pool-default', state: 'waiting' })).toBe(0);
  expect(v('process_resident_memory_bytes', {})).toBeGreaterThan(0);
  for (const id of [...ids, failing]) expect(text).not.toContain(id);
  // Only the fair-share counter (SPEC section 9) names tenants.
  const tenantLines = text.split('\n').filter((l) => l.includes('tenant='));
  expect(tenantLines).toEqual([
    expect.stringMatching(/^inferq_tenant_tokens_served_total\{pool="default",tenant="t1"\} \d+$/),
  ]);
});

it('refuses /metrics without the METRICS_TOKEN', async () => {
  const none = await fetch(`http://127.0.0.1:${worker.metricsPort}/metrics`);
  expect(none.status).toBe(401);
  expect(await none.json()).toMatchObject({ error: { code: 'unauthorized' } });
  const wrong = await fetch(`http://127.0.0.1:${worker.metricsPort}/metrics`, {
    headers: { Authorization: 'Bearer nope' },
  });
  expect(wrong.status).toBe(401);
});

it('writes a heartbeat the fleet reads, and removes it on close', async () => {
  const fleet = new WorkerRegistry(h.redis, h.prefix);
  const [me] = await fleet.list();
  expect(me).toMatchObject({ pools: ['default'], concurrency: 4, version: '0.1.0', pid: process.pid });
  expect(Date.now() - Date.parse(me?.last_heartbeat_at ?? '')).toBeLessThan(15_000);
  const second = await startWorker(h.config({ WORKER_POOLS: 'default,gpu', WORKER_CONCURRENCY: '8' }));
  expect((await fleet.list()).map((w) => w.pools.join(','))).toEqual(
    expect.arrayContaining(['default', 'default,gpu']),
  );
  await second.close();
  expect(await fleet.list()).toHaveLength(1);
});
