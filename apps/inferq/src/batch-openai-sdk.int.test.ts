import OpenAI, { toFile } from 'openai';
import type { BatchOutputLine } from '@inferq/core';
import { dropPrefix, testPrefix } from '@inferq/testkit';
import { startApiAndWorker } from '@inferq/test-stack';
import type { ApiAndWorker } from '@inferq/test-stack';
import { chatLine, jsonl } from './test/batch-fixtures';

/** The Batch API driven by the real openai SDK, exactly as a user of OpenAI's Batch API would. */
const prefix = testPrefix('batch-sdk');
const KEY = 'batch_sdk_key_0123456789';
let sys: ApiAndWorker;
let openai: OpenAI;

beforeAll(async () => {
  sys = await startApiAndWorker(prefix, { API_KEYS: `acme:${KEY}`, SIM_TTFT_MS: '5', SIM_TOKEN_MS: '20' });
  openai = new OpenAI({ baseURL: `${sys.api.url}/v1`, apiKey: KEY, maxRetries: 0 });
});
afterAll(async () => {
  await sys.close();
  await dropPrefix(prefix);
});

async function until(id: string, statuses: string[]): Promise<OpenAI.Batches.Batch> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const b = await openai.batches.retrieve(id);
    if (statuses.includes(b.status) || Date.now() > deadline) return b;
    await new Promise((r) => setTimeout(r, 200));
  }
}

it('uploads with toFile, runs the batch and returns chat.completion lines', async () => {
  const lines = Array.from({ length: 20 }, (_, i) => chatLine(`req-${i}`, 'sim/echo', `hello number ${i}`));
  const file = await openai.files.create({
    file: await toFile(Buffer.from(jsonl(lines)), 'in.jsonl'),
    purpose: 'batch',
  });
  expect(file).toMatchObject({ object: 'file', purpose: 'batch', filename: 'in.jsonl', bytes: jsonl(lines).length });
  expect((await openai.files.retrieve(file.id)).id).toBe(file.id);

  const created = await openai.batches.create({
    input_file_id: file.id,
    endpoint: '/v1/chat/completions',
    completion_window: '24h',
    metadata: { job: 'nightly' },
  });
  expect(created).toMatchObject({ object: 'batch', status: 'validating', metadata: { job: 'nightly' } });
  const done = await until(created.id, ['completed', 'failed']);
  expect(done).toMatchObject({ status: 'completed', request_counts: { total: 20, completed: 20, failed: 0 } });
  expect(done.error_file_id).toBeNull();
  expect(done.completed_at).toBeGreaterThanOrEqual(done.created_at);

  const text = await (await openai.files.content(done.output_file_id!)).text();
  const out = text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as BatchOutputLine);
  expect(out).toHaveLength(20);
  const byId = new Map(out.map((o) => [o.custom_id, o]));
  for (let i = 0; i < 20; i++) {
    const o = byId.get(`req-${i}`)!;
    expect(o.error).toBeNull();
    expect(o.response?.status_code).toBe(200);
    const body = o.response?.body as OpenAI.Chat.ChatCompletion;
    expect(body.object).toBe('chat.completion');
    expect(body.choices[0]?.message.content).toBe(`hello number ${i}`);
    expect(body.usage?.completion_tokens).toBe(3);
  }
  const listed = await openai.batches.list({ limit: 10 });
  expect(listed.data.map((b) => b.id)).toContain(created.id);
  const files = await openai.files.list();
  expect(files.data.map((f) => f.id)).toEqual(expect.arrayContaining([file.id, done.output_file_id]));
  expect(await openai.files.delete(file.id)).toMatchObject({ id: file.id, deleted: true });
  await expect(openai.files.retrieve(file.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
}, 90_000);

it('cancels a running batch: cancelling, then cancelled with what finished', async () => {
  // 30 tokens at 20 ms: 200 requests take seconds on 32 slots, so the cancel lands mid-run.
  const slow = { max_tokens: 30 };
  const words = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ');
  const lines = Array.from({ length: 200 }, (_, i) => chatLine(`c-${i}`, 'sim/echo', `${i} ${words}`, slow));
  const file = await openai.files.create({
    file: await toFile(Buffer.from(jsonl(lines)), 'c.jsonl'),
    purpose: 'batch',
  });
  const batch = await openai.batches.create({
    input_file_id: file.id,
    endpoint: '/v1/chat/completions',
    completion_window: '24h',
  });
  await until(batch.id, ['in_progress']);
  const cancelling = await openai.batches.cancel(batch.id);
  expect(['cancelling', 'cancelled']).toContain(cancelling.status);
  const done = await until(batch.id, ['cancelled']);
  expect(done.status).toBe('cancelled');
  expect(done.cancelled_at).not.toBeNull();
  const { completed, failed, total } = done.request_counts!;
  expect(total).toBe(200);
  expect(completed + failed).toBeLessThan(200);
  const errors = done.error_file_id
    ? (await (await openai.files.content(done.error_file_id)).text()).trim().split('\n')
    : [];
  const outputs = done.output_file_id
    ? (await (await openai.files.content(done.output_file_id)).text()).trim().split('\n')
    : [];
  // Every request is in exactly one of the files.
  expect(errors.length + outputs.filter(Boolean).length).toBe(200);
  expect(errors.some((l) => (JSON.parse(l) as { error: { code: string } }).error.code === 'batch_cancelled')).toBe(
    true,
  );
  await expect(openai.batches.cancel(batch.id)).rejects.toBeInstanceOf(OpenAI.ConflictError);
}, 90_000);
