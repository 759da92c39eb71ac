import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropPrefix, startFakeOpenAI, testPrefix } from '@inferq/testkit';
import type { FakeProvider } from '@inferq/testkit';
import { startApiAndWorker } from '@inferq/test-stack';
import type { ApiAndWorker } from '@inferq/test-stack';
import { BatchHttp, chatLine, contentOf, jsonl } from './test/batch-fixtures';

/**
 * A 1,000-line batch over three backends: sim/echo, an OpenAI model (the
 * fake OpenAI at the wire) and a self-hosted model whose server refuses every
 * request (the deliberate failures).
 */
const prefix = testPrefix('batch-mixed');
const KEY = 'batch_mixed_key_01234567';
const KEY2 = 'batch_budget_key_0123456';
const ADMIN = 'batch_admin_token_0123456789';
let sys: ApiAndWorker;
let fake: FakeProvider;
let broken: FakeProvider;
let dir: string;
let http: BatchHttp;

beforeAll(async () => {
  fake = await startFakeOpenAI({ default: { kind: 'echo' } });
  broken = await startFakeOpenAI({ default: { kind: 'status', status: 400 } });
  dir = mkdtempSync(join(tmpdir(), 'inferq-batch-'));
  const models = join(dir, 'models.json');
  const spec = { id: 'local/broken', backend: 'openai-compatible', base_url: broken.url, pool: 'gpu' };
  writeFileSync(models, JSON.stringify({ models: [spec] }));
  sys = await startApiAndWorker(prefix, {
    API_KEYS: `acme:${KEY},lean:${KEY2}`,
    ADMIN_TOKEN: ADMIN,
    MODELS_FILE: models,
    WORKER_POOLS: 'default,gpu',
    OPENAI_BASE_URL: fake.url,
    OPENAI_API_KEY: 'sk-fake',
    SIM_TTFT_MS: '1',
    SIM_TOKEN_MS: '0',
  });
  http = new BatchHttp(sys.api.url, KEY);
});
afterAll(async () => {
  await sys.close();
  await Promise.all([fake.close(), broken.close()]);
  await dropPrefix(prefix);
  rmSync(dir, { recursive: true, force: true });
});

function modelOf(i: number): string {
  if (i % 10 === 9) return 'local/broken';
  return i % 10 >= 6 ? 'openai/gpt-4o-mini' : 'sim/echo';
}

it('runs 1,000 requests over three backends: 900 answers, 100 failures, each request exactly once', async () => {
  const lines = Array.from({ length: 1000 }, (_, i) => chatLine(`r-${i}`, modelOf(i), `prompt ${i} for ${modelOf(i)}`));
  const batch = await http.create(await http.uploadOk(jsonl(lines)));
  const done = await http.until(batch.id, ['completed', 'failed'], 120_000);
  expect(done).toMatchObject({ status: 'completed', request_counts: { total: 1000, completed: 900, failed: 100 } });

  const out = await http.lines(done.output_file_id);
  const errors = await http.lines(done.error_file_id);
  expect(out).toHaveLength(900);
  expect(errors).toHaveLength(100);
  const seen = new Set([...out, ...errors].map((l) => l.custom_id));
  expect(seen.size).toBe(1000);
  for (const l of out) {
    const i = Number(l.custom_id.slice(2));
    expect(contentOf(l)).toBe(`prompt ${i} for ${modelOf(i)}`);
    expect(l.response?.request_id).toMatch(/^job_/);
    expect(l.id).toBe(`batch_req_${l.response?.request_id.slice(4)}`);
  }
  for (const l of errors) {
    expect(modelOf(Number(l.custom_id.slice(2)))).toBe('local/broken');
    expect(l.error?.code).toBe('provider_rejected');
  }
  expect(fake.requests.filter((r) => r.path.endsWith('/chat/completions'))).toHaveLength(300);
  // A failure of the provider's own is not retried: one call per request.
  expect(broken.requests).toHaveLength(100);

  // The jobs are ordinary jobs: readable, low priority, tagged with the batch.
  const job = await fetch(`${sys.api.url}/v1/jobs/${out[0].response!.request_id}`, {
    headers: { authorization: `Bearer ${KEY}` },
  }).then((r) => r.json() as Promise<{ metadata: Record<string, string> }>);
  expect(job.metadata).toMatchObject({ batch_id: batch.id, custom_id: out[0].custom_id });
}, 180_000);

it("answers each request over the tenant's daily token budget with budget_exceeded", async () => {
  const put = await fetch(`${sys.api.url}/v1/admin/tenants/lean/limits`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ daily_token_budget: 5 }),
  });
  expect(put.status).toBe(200);
  const lean = new BatchHttp(sys.api.url, KEY2);
  // Use the budget up with one batch of one request (3 + 3 tokens)...
  const first = await lean.create(await lean.uploadOk(jsonl([chatLine('a', 'sim/echo', 'use the budget')])));
  expect((await lean.until(first.id, ['completed'])).request_counts).toMatchObject({ completed: 1 });
  // ...then every request of the next one is refused, none runs.
  const lines = Array.from({ length: 5 }, (_, i) => chatLine(`b${i}`, 'sim/echo', `over ${i}`));
  const second = await lean.until((await lean.create(await lean.uploadOk(jsonl(lines)))).id, ['completed']);
  expect(second.request_counts).toEqual({ total: 5, completed: 0, failed: 5 });
  const errors = await lean.lines(second.error_file_id);
  expect(errors.map((e) => e.error?.code)).toEqual(Array(5).fill('budget_exceeded'));
}, 60_000);
