import { describeOnTargets, startFakeOpenAI, waitFor } from '@inferq/testkit';
import type { FakeProvider } from '@inferq/testkit';
import { startWorker } from './index';
import type { RunningWorker } from './index';
import { workerHarness } from './test/worker-harness';

let h: ReturnType<typeof workerHarness>;
let fake: FakeProvider;
let worker: RunningWorker;

// On standalone Redis and on the run's 3-master cluster (jest's global setup starts it).
describeOnTargets('worker', (on) => {
  beforeAll(async () => {
    h = workerHarness('worker', await on.ready());
    fake = await startFakeOpenAI();
    h.modelsFile([]);
    worker = await startWorker(h.config({ OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'sk-test' }));
  });
  afterAll(async () => {
    await worker?.close();
    await fake?.close();
    await h?.close();
  });
  beforeEach(() => fake.reset());

  it('runs a sim/echo job to success with usage and timings', async () => {
    const id = await h.submit({ model: 'sim/echo', input: { prompt: 'hello there world' } });
    const rec = await h.terminal(id);
    expect(rec).toMatchObject({
      status: 'succeeded',
      attempts: 1,
      output: { text: 'hello there world', finish_reason: 'stop' },
      error: null,
    });
    expect(rec.usage?.output_tokens).toBe(3);
    expect(rec.timings.queue_ms).toBeGreaterThanOrEqual(0);
    expect(rec.timings.run_ms).toBeGreaterThanOrEqual(0);
    expect(rec.timings.ttft_ms).toBeGreaterThanOrEqual(0);
  });

  it('runs an OpenAI job through the real SDK with the request params', async () => {
    const id = await h.submit({
      model: 'openai/gpt-4o-mini',
      input: {
        messages: [
          { role: 'system', content: 'be brief' },
          { role: 'user', content: 'ping pong' },
        ],
      },
      params: { temperature: 0.2, max_tokens: 50, seed: 7 },
    });
    const rec = await h.terminal(id);
    expect(rec.status).toBe('succeeded');
    expect(rec.output?.text).toBe('ping pong');
    expect(fake.requests[0]?.body).toMatchObject({ model: 'gpt-4o-mini', temperature: 0.2, seed: 7, stream: true });
  });

  it('retries after 429 and 5xx, then succeeds', async () => {
    fake.script({ kind: 'status', status: 429, retryAfter: '1' }, { kind: 'status', status: 503 });
    const id = await h.submit({ model: 'openai/gpt-4o-mini', input: { prompt: 'third time lucky' } });
    const rec = await h.terminal(id);
    expect(rec).toMatchObject({ status: 'succeeded', attempts: 3, output: { text: 'third time lucky' } });
    expect(fake.requests).toHaveLength(3);
    // The retry after the 429 waited at least its Retry-After of 1 s.
    expect(fake.requests[1].time - fake.requests[0].time).toBeGreaterThanOrEqual(950);
  });

  it('fails at once on a provider 400, with exactly one call', async () => {
    fake.script({
      kind: 'status',
      status: 400,
      body: { error: { message: 'bad request', type: 'invalid_request_error' } },
    });
    const id = await h.submit({ model: 'openai/gpt-4o-mini', input: { prompt: 'nope' } });
    const rec = await h.terminal(id);
    expect(rec).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { code: 'provider_rejected', retryable: false },
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('fails after max_attempts retryable errors', async () => {
    fake.setDefault({ kind: 'status', status: 500 });
    const id = await h.submit({ model: 'openai/gpt-4o-mini', input: { prompt: 'x' }, max_attempts: 2 });
    const rec = await h.terminal(id);
    expect(rec).toMatchObject({
      status: 'failed',
      attempts: 2,
      error: { code: 'provider_unavailable', retryable: true },
    });
    expect(fake.requests).toHaveLength(2);
  });

  it('ends a hung provider call at timeout_s and aborts the connection', async () => {
    fake.setDefault({ kind: 'hang' });
    const id = await h.submit({ model: 'openai/gpt-4o-mini', input: { prompt: 'hang' }, timeout_s: 1 });
    const rec = await h.terminal(id);
    expect(rec).toMatchObject({ status: 'failed', error: { code: 'timeout', retryable: false } });
    await waitFor(() => (fake.requests[0]?.aborted ? true : undefined));
  });

  it('aborts a running job when it is canceled, and does not retry it', async () => {
    fake.setDefault({ kind: 'slow', ttftMs: 100, tokenMs: 500 });
    const id = await h.submit({ model: 'openai/gpt-4o-mini', input: { prompt: 'a b c d e f g h i j k l' } });
    await waitFor(async () => ((await h.store.get(id))?.record.status === 'running' ? true : undefined));
    await fake.waitForRequests(1);
    // The cancel transition itself tells the worker (its pool's cancel channel).
    expect((await h.store.cancel(id, 't1')).kind).toBe('written');
    await waitFor(() => (fake.requests[0]?.aborted ? true : undefined), 3000);
    await new Promise((r) => setTimeout(r, 300));
    expect((await h.store.get(id))?.record.status).toBe('canceled');
    expect(fake.requests).toHaveLength(1);
  });

  it('aborts every running job that one cancel call names (one message of several ids)', async () => {
    // No tokens ever: only the cancel channel can tell the worker (a token write would find the job canceled).
    fake.setDefault({ kind: 'hang' });
    const prompt = { model: 'openai/gpt-4o-mini', input: { prompt: 'a b c d e f g h i j k l' } };
    const ids = [await h.submit(prompt), await h.submit(prompt)];
    const running = async (id: string) => (await h.store.get(id))?.record.status === 'running';
    await waitFor(async () => ((await Promise.all(ids.map(running))).every(Boolean) ? true : undefined));
    await fake.waitForRequests(2);
    // Cancels of one pool in one turn are one finish call, so one message on the cancel channel names both.
    const results = await Promise.all(ids.map((id) => h.store.cancel(id, 't1')));
    expect(results.map((r) => r.kind)).toEqual(['written', 'written']);
    await waitFor(() => (fake.requests.slice(0, 2).every((r) => r.aborted) ? true : undefined), 3000);
    expect(fake.requests).toHaveLength(2);
  });
});
