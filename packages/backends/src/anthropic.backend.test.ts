import { startFakeAnthropic, waitFor, type FakeProvider } from '@inferq/testkit';
import { BackendError } from './backend-error';
import type { Backend, GenerateRequest } from './backend.types';
import { createBackendFactory, type BackendsConfig } from './backend-factory';

const req = (over: Partial<GenerateRequest> = {}): GenerateRequest => ({
  model: 'claude-test',
  messages: [
    { role: 'system', content: 'be brief' },
    { role: 'user', content: 'earlier question' },
    { role: 'assistant', content: 'earlier answer' },
    { role: 'user', content: 'jumps over the lazy dog' },
  ],
  params: {},
  ...over,
});

function run(backend: Backend, r: GenerateRequest, signal = new AbortController().signal) {
  const tokens: string[] = [];
  const result = backend.generate(r, { signal, onToken: (t) => tokens.push(t) });
  return { tokens, result };
}

async function failure(p: Promise<unknown>): Promise<BackendError> {
  const err: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BackendError);
  return err as BackendError;
}

describe('AnthropicBackend against the fake Anthropic', () => {
  let fake: FakeProvider;
  let backend: Backend;
  const config = (url: string, over: Partial<BackendsConfig> = {}): BackendsConfig => ({
    openai: {},
    anthropic: { apiKey: 'sk-ant-test', baseURL: url },
    sim: { ttftMs: 0, tokenMs: 0 },
    secrets: {},
    ...over,
  });
  const model = { id: 'anthropic/claude-test', backend: 'anthropic' as const, upstream: 'claude-test', pool: 'default' };

  beforeAll(async () => {
    fake = await startFakeAnthropic();
    backend = createBackendFactory(config(fake.url))(model);
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  it('streams tokens in order, with usage and finish reason; system goes to the system field', async () => {
    fake.script({ kind: 'echo', ttftMs: 5, tokenMs: 5 });
    const { tokens, result } = run(backend, req());
    const out = await result;
    expect(tokens).toEqual(['jumps ', 'over ', 'the ', 'lazy ', 'dog']);
    expect(out).toEqual({
      text: 'jumps over the lazy dog',
      finishReason: 'stop',
      usage: { input_tokens: 11, output_tokens: 5 },
    });
    const sent = fake.requests[0];
    expect(sent.path).toBe('/v1/messages');
    // SDK 1.x sends the API key as a bearer token, no longer as x-api-key.
    expect(sent.headers.authorization).toBe('Bearer sk-ant-test');
    expect(sent.body).toMatchObject({ model: 'claude-test', stream: true, system: 'be brief', max_tokens: 1024 });
    expect(sent.body.messages).toEqual([
      { role: 'user', content: 'earlier question' },
      { role: 'assistant', content: 'earlier answer' },
      { role: 'user', content: 'jumps over the lazy dog' },
    ]);
  });

  it('forwards max_tokens and stop, and reports length when cut', async () => {
    const out = await run(backend, req({ params: { max_tokens: 2, stop: 'END' } })).result;
    expect(out).toMatchObject({ text: 'jumps over ', finishReason: 'length', usage: { output_tokens: 2 } });
    expect(fake.requests[0].body).toMatchObject({ max_tokens: 2, stop_sequences: ['END'] });
  });

  it('maps stop_sequence to stop', async () => {
    const out = await run(backend, req({ params: { stop: ['lazy'] } })).result;
    expect(out).toMatchObject({ text: 'jumps over the ', finishReason: 'stop' });
  });

  it('classifies 429 with Retry-After as rate limited, retryable, 2000 ms', async () => {
    fake.script({ kind: 'status', status: 429, retryAfter: '2' });
    const err = await failure(run(backend, req()).result);
    expect(err).toMatchObject({ code: 'provider_rate_limited', retryable: true, retryAfterMs: 2000, status: 429 });
  });

  it('classifies 500 and 529 as unavailable and retryable', async () => {
    fake.script({ kind: 'status', status: 500 }, { kind: 'status', status: 529 });
    expect(await failure(run(backend, req()).result)).toMatchObject({ code: 'provider_unavailable', retryable: true });
    expect(await failure(run(backend, req()).result)).toMatchObject({ code: 'provider_unavailable', status: 529 });
  });

  it('classifies 400 as rejected, not retryable, after exactly one request', async () => {
    fake.script({ kind: 'status', status: 400 });
    expect(await failure(run(backend, req()).result)).toMatchObject({ code: 'provider_rejected', retryable: false });
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.requests).toHaveLength(1);
  });

  it('classifies 401 and 403 as provider_auth', async () => {
    fake.script({ kind: 'status', status: 401 }, { kind: 'status', status: 403 });
    expect(await failure(run(backend, req()).result)).toMatchObject({ code: 'provider_auth', retryable: false });
    expect(await failure(run(backend, req()).result)).toMatchObject({ code: 'provider_auth', retryable: false });
  });

  it('classifies a reset connection as unavailable', async () => {
    fake.script({ kind: 'reset' });
    expect(await failure(run(backend, req()).result)).toMatchObject({ code: 'provider_unavailable', retryable: true });
  });

  it('classifies the deadline as provider_timeout', async () => {
    fake.script({ kind: 'hang' });
    const slow = createBackendFactory(config(fake.url, { sdkTimeoutMs: 200 }))(model);
    expect(await failure(run(slow, req()).result)).toMatchObject({ code: 'provider_timeout', retryable: true });
  });

  it('rejects with the abort reason on a hanging request and the fake sees the abort', async () => {
    fake.script({ kind: 'hang' });
    const ac = new AbortController();
    const { result } = run(backend, req(), ac.signal);
    await fake.waitForRequests(1);
    const reason = new Error('canceled by user');
    const started = Date.now();
    ac.abort(reason);
    await expect(result).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(1000);
    await waitFor(() => fake.requests[0].aborted || undefined, 2000);
  });

  it('rejects with the abort reason mid-stream', async () => {
    fake.script({ kind: 'slow', ttftMs: 0, tokenMs: 200 });
    const ac = new AbortController();
    const tokens: string[] = [];
    const result = backend.generate(req(), {
      signal: ac.signal,
      onToken: (t) => {
        tokens.push(t);
        ac.abort('timeout');
      },
    });
    await expect(result).rejects.toBe('timeout');
    expect(tokens).toEqual(['jumps ']);
    await waitFor(() => fake.requests[0].aborted || undefined, 2000);
  });
});
