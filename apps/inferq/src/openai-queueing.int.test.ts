import OpenAI from 'openai';
import { loadApiConfig, startApi } from '@inferq/api';
import type { StartedApi } from '@inferq/api';
import type { JobRecord } from '@inferq/core';
import { dropPrefix, startFakeOpenAI, testPrefix, waitFor } from '@inferq/testkit';
import type { FakeProvider } from '@inferq/testkit';
import { startApiAndWorker } from '@inferq/test-stack';
import type { ApiAndWorker } from '@inferq/test-stack';

// /v1/chat/completions as a queue: one worker slot, so what waits shows the
// order of service; a second api with SYNC_WAIT_S=1 shows the 504.
const prefix = testPrefix('oai-queue');
const KEY = 'openai-queue-test-key-0001';
const auth = { authorization: `Bearer ${KEY}` };
const PROMPT = 'one two three four five six';
let fake: FakeProvider;
let stack: ApiAndWorker;
let shortWait: StartedApi;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  stack = await startApiAndWorker(prefix, {
    API_KEYS: `acme:${KEY}`,
    OPENAI_BASE_URL: fake.url,
    OPENAI_API_KEY: 'sk-test',
    WORKER_CONCURRENCY: '1',
    SIM_TTFT_MS: '20',
    SIM_TOKEN_MS: '0',
  });
  shortWait = await startApi(loadApiConfig({ ...stack.env, SYNC_WAIT_S: '1' }));
  client = new OpenAI({ apiKey: KEY, baseURL: `${stack.api.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await shortWait.close();
  await stack.close();
  await fake.close();
  await dropPrefix(prefix);
});
beforeEach(() => fake.reset());

const record = async (id: string): Promise<JobRecord> =>
  (await (await fetch(`${stack.api.url}/v1/jobs/${id}`, { headers: auth })).json()) as JobRecord;
const jobs = async (): Promise<JobRecord[]> =>
  ((await (await fetch(`${stack.api.url}/v1/jobs?limit=100`, { headers: auth })).json()) as { data: JobRecord[] }).data;
const jobIdOf = (r: { response: Response }): string => r.response.headers.get('x-inferq-job-id')!;

/** Occupies the worker's one slot with a provider call that takes its time; resolves once it runs. */
async function busyWorker(ttftMs: number): Promise<{ call: Promise<{ response: Response }> }> {
  fake.setDefault({ kind: 'slow', ttftMs, tokenMs: 10 });
  const call = client.chat.completions
    .create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: PROMPT }] })
    .withResponse();
  await fake.waitForRequests(1);
  return { call };
}

it('starts priority before default before flex on a busy pool', async () => {
  const before = (await jobs()).length;
  const blocker = (await busyWorker(1500)).call;
  const calls = [];
  for (const tier of ['flex', undefined, 'priority'] as const) {
    const content = tier ?? 'default';
    calls.push(
      client.chat.completions
        .create({ model: 'sim/echo', messages: [{ role: 'user', content }], ...(tier ? { service_tier: tier } : {}) })
        .withResponse(),
    );
    // Submitted in this order: each is queued before the next is sent.
    await waitFor(async () => ((await jobs()).length === before + 1 + calls.length ? true : undefined), 10_000);
  }
  const records = await Promise.all((await Promise.all(calls)).map((a) => record(jobIdOf(a))));
  const busyUntil = (await record(jobIdOf(await blocker))).completed_at!;
  expect(records.every((r) => r.started_at! >= busyUntil)).toBe(true);
  const started = records.sort((a, b) => a.started_at!.localeCompare(b.started_at!)).map((r) => r.output?.text);
  expect(started).toEqual(['priority', 'default', 'flex']);
});

it('answers 504 timeout naming the job after SYNC_WAIT_S, is not retried by the SDK, and the job still finishes', async () => {
  fake.setDefault({ kind: 'slow', ttftMs: 2500, tokenMs: 10 });
  const before = (await jobs()).length;
  // The SDK's default retries are on: x-should-retry: false must stop them.
  const patient = new OpenAI({ apiKey: KEY, baseURL: `${shortWait.url}/v1`, maxRetries: 2 });
  const err = await patient.chat.completions
    .create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: PROMPT }] })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(OpenAI.InternalServerError);
  expect(err).toMatchObject({ status: 504, code: 'timeout', type: 'server_error' });
  const { headers, message } = err as InstanceType<typeof OpenAI.InternalServerError>;
  expect(headers.get('x-should-retry')).toBe('false');
  const id = headers.get('x-inferq-job-id')!;
  expect(message).toContain(id);
  expect((await jobs()).length).toBe(before + 1);
  const done = await waitFor(async () => {
    const r = await record(id);
    return r.status === 'succeeded' ? r : undefined;
  }, 20_000);
  expect(done.output?.text).toBe(PROMPT);
});

it('cancels the job of a client that gives up waiting; the provider sees the abort', async () => {
  fake.setDefault({ kind: 'slow', ttftMs: 5000, tokenMs: 10 });
  const controller = new AbortController();
  const call = client.chat.completions
    .create(
      { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: PROMPT }] },
      { signal: controller.signal },
    )
    .catch((e: unknown) => e);
  await fake.waitForRequests(1);
  const [running] = await jobs();
  expect(running?.status).toBe('running');
  controller.abort();
  expect(await call).toBeInstanceOf(OpenAI.APIUserAbortError);
  await waitFor(async () => ((await record(running.id)).status === 'canceled' ? true : undefined), 10_000);
  await waitFor(() => (fake.requests[0]?.aborted ? true : undefined), 10_000);
});

it('answers 409 (not retried) when someone else cancels the job it waits for', async () => {
  fake.setDefault({ kind: 'slow', ttftMs: 5000, tokenMs: 10 });
  const retrying = new OpenAI({ apiKey: KEY, baseURL: `${stack.api.url}/v1`, maxRetries: 2 });
  const call = retrying.chat.completions
    .create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: PROMPT }] })
    .catch((e: unknown) => e);
  await fake.waitForRequests(1);
  const before = (await jobs()).length;
  const [running] = await jobs();
  await fetch(`${stack.api.url}/v1/jobs/${running.id}/cancel`, { method: 'POST', headers: auth });
  const err = await call;
  expect(err).toBeInstanceOf(OpenAI.ConflictError);
  expect(err).toMatchObject({ status: 409, code: 'conflict' });
  expect((await jobs()).length).toBe(before);
});
