import { InferqApiError, InferqClient, InferqTimeoutError, isApiError } from './index';
import type { JobEvent } from './index';
import { startCuttingProxy } from './test/cutting-proxy';
import { startStack, TEST_KEY } from './test/stack';
import type { Stack } from './test/stack';

let stack: Stack;
let inferq: InferqClient;
beforeAll(async () => {
  // Tokens 15 ms apart: slow enough that a cut lands mid-stream, fast enough for a quick suite.
  stack = await startStack('client', { SIM_TOKEN_MS: '15' });
  inferq = new InferqClient({ baseUrl: stack.url, apiKey: TEST_KEY });
});
afterAll(() => stack.close());

const words = (n: number): string => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');

it('submits, waits for the result and finds the job in the list', async () => {
  const accepted = await inferq.jobs.create({ model: 'sim/echo', input: { prompt: 'Hello from the SDK' } });
  expect(accepted).toMatchObject({ status: 'queued', model: 'sim/echo' });
  const job = await inferq.jobs.wait(accepted.id, { timeoutMs: 20_000 });
  expect(job).toMatchObject({ id: accepted.id, status: 'succeeded', output: { text: 'Hello from the SDK' } });
  const page = await inferq.jobs.list({ limit: 5 });
  expect(page.data.map((j) => j.id)).toContain(accepted.id);
  expect((await inferq.models.list()).map((m) => m.id)).toContain('sim/echo');
});

it('gives up waiting at the deadline with the last record', async () => {
  const { id } = await inferq.jobs.create({ model: 'sim/echo', input: { prompt: words(400) } });
  const err = await inferq.jobs.wait(id, { timeoutMs: 1000 }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InferqTimeoutError);
  expect((err as InferqTimeoutError).job.id).toBe(id);
  await inferq.jobs.cancel(id);
});

it('streams every token once, in order, across a dropped connection', async () => {
  const proxy = await startCuttingProxy(stack.url, 4);
  try {
    const viaProxy = new InferqClient({ baseUrl: proxy.url, apiKey: TEST_KEY });
    const prompt = words(60);
    const { id } = await viaProxy.jobs.create({ model: 'sim/echo', input: { prompt } });
    const events: JobEvent[] = [];
    for await (const e of viaProxy.jobs.stream(id, { reconnectDelayMs: 50 })) events.push(e);

    expect(proxy.streamRequests.length).toBeGreaterThanOrEqual(2);
    expect(proxy.streamRequests[1]).toMatch(/last-event-id: \S+/i);
    const done = events.at(-1);
    expect(done?.type).toBe('done');
    const text = events.map((e) => (e.type === 'token' ? e.data.text : '')).join('');
    expect(text.trim()).toBe(prompt);
    if (done?.type === 'done') expect(done.data.output?.text).toBe(prompt);
    const ids = events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  } finally {
    await proxy.close();
  }
});

it('cancels a running job, and a second cancel is a typed conflict', async () => {
  const { id } = await inferq.jobs.create({ model: 'sim/echo', input: { prompt: words(400) } });
  await inferq.jobs.get(id); // exists
  const canceled = await inferq.jobs.cancel(id);
  expect(canceled.status).toBe('canceled');
  const err = await inferq.jobs.cancel(id).catch((e: unknown) => e);
  expect(isApiError(err, 'conflict')).toBe(true);
  expect((err as InferqApiError).status).toBe(409);
});

it('throws typed errors carrying the API codes and details', async () => {
  const bad = await inferq.jobs
    .create({ model: 'sim/echo', input: { prompt: 'x' }, priority: 'urgent' as 'high' })
    .catch((e: unknown) => e);
  expect(bad).toBeInstanceOf(InferqApiError);
  expect(bad).toMatchObject({ status: 400, code: 'validation_error' });
  expect((bad as InferqApiError).details.map((d) => d.path)).toContain('priority');

  const missing = await inferq.jobs.get('job_01JABCDEFGHJKMNPQRSTVWXYZ0').catch((e: unknown) => e);
  expect(missing).toMatchObject({ status: 404, code: 'not_found' });

  const stranger = new InferqClient({ baseUrl: stack.url, apiKey: 'not_a_key_0123456789' });
  await expect(stranger.models.list()).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
});
