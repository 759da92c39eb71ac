import { startFakeOpenAI, waitFor, type FakeProvider } from '@inferq/testkit';
import { BackendError } from './backend-error';
import type { Backend, GenerateRequest } from './backend.types';
import { createBackendFactory, type BackendsConfig } from './backend-factory';

const req = (over: Partial<GenerateRequest> = {}): GenerateRequest => ({
  model: 'gpt-test',
  messages: [
    { role: 'system', content: 'be brief' },
    { role: 'user', content: 'the quick brown fox' },
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

describe('OpenAIBackend against the fake OpenAI', () => {
  let fake: FakeProvider;
  let backend: Backend;
  const config = (url: string, over: Partial<BackendsConfig> = {}): BackendsConfig => ({
    openai: { apiKey: 'sk-test', baseURL: url },
    anthropic: {},
    sim: { ttftMs: 0, tokenMs: 0 },
    secrets: {},
    ...over,
  });
  const model = { id: 'openai/gpt-test', backend: 'openai' as const, upstream: 'gpt-test', pool: 'default' };

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    backend = createBackendFactory(config(fake.url))(model);
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  it('streams tokens in order, with usage and finish reason', async () => {
    fake.script({ kind: 'echo', ttftMs: 5, tokenMs: 5 });
    const { tokens, result } = run(backend, req());
    const out = await result;
    expect(tokens).toEqual(['the ', 'quick ', 'brown ', 'fox']);
    expect(out).toEqual({ text: 'the quick brown fox', finishReason: 'stop', usage: { input_tokens: 6, output_tokens: 4 } });
    expect(fake.requests[0].headers.authorization).toBe('Bearer sk-test');
    expect(fake.requests[0].body).toMatchObject({ model: 'gpt-test', stream: true, stream_options: { include_usage: true } });
  });

  it('forwards params and reports length when cut at max_tokens', async () => {
    const params = { temperature: 0.2, top_p: 0.9, max_tokens: 2, stop: ['\n\n'], seed: 7 };
    const out = await run(backend, req({ params })).result;
    expect(out).toMatchObject({ text: 'the quick ', finishReason: 'length', usage: { output_tokens: 2 } });
    expect(fake.requests[0].body).toMatchObject(params);
  });

  it('classifies 429 with Retry-After as rate limited, retryable, 2000 ms', async () => {
    fake.script({ kind: 'status', status: 429, retryAfter: '2' });
    const err = await failure(run(backend, req()).result);
    expect(err).toMatchObject({ code: 'provider_rate_limited', retryable: true, retryAfterMs: 2000, status: 429 });
  });

  it('classifies 500 as unavailable and retryable', async () => {
    fake.script({ kind: 'status', status: 500 });
    expect(await failure(run(backend, req()).result)).toMatchObject({ code: 'provider_unavailable', retryable: true });
  });

  it('classifies 400 as rejected, not retryable, after exactly one request', async () => {
    fake.script({ kind: 'status', status: 400 });
    expect(await failure(run(backend, req()).result)).toMatchObject({ code: 'provider_rejected', retryable: false });
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.requests).toHaveLength(1);
  });

  it('classifies 401 as provider_auth', async () => {
    fake.script({ kind: 'status', status: 401 });
    expect(await failure(run(backend, req()).result)).toMatchObject({ code: 'provider_auth', retryable: false });
  });

  it('classifies a reset connection as unavailable', async () => {
    fake.script({ kind: 'reset' });
    expect(await failure(run(backend, req()).result)).toMatchObject({ code: 'provider_unavailable', retryable: true });
    expect(fake.requests).toHaveLength(1);
  });

  it('classifies connection refused as unavailable', async () => {
    const dead = createBackendFactory(config('http://127.0.0.1:9/v1'))(model);
    expect(await failure(run(dead, req()).result)).toMatchObject({ code: 'provider_unavailable' });
  });

  it('classifies the SDK deadline as provider_timeout', async () => {
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
        if (tokens.length === 1) ac.abort('timeout');
      },
    });
    await expect(result).rejects.toBe('timeout');
    expect(tokens).toEqual(['the ']);
    await waitFor(() => fake.requests[0].aborted || undefined, 2000);
  });

  it('serves an openai-compatible model through the factory with its base URL and key', async () => {
    const other = await startFakeOpenAI();
    try {
      const factory = createBackendFactory(config(fake.url, { secrets: { LOCAL_KEY: 'local-secret' } }));
      const local = factory({
        id: 'local/llama',
        backend: 'openai-compatible',
        upstream: 'meta-llama/Llama-3.1-8B-Instruct',
        pool: 'gpu',
        baseUrl: other.url,
        apiKeyEnv: 'LOCAL_KEY',
      });
      expect(local.kind).toBe('openai-compatible');
      const out = await run(local, req({ model: 'meta-llama/Llama-3.1-8B-Instruct' })).result;
      expect(out.text).toBe('the quick brown fox');
      expect(other.requests[0].body).toMatchObject({ model: 'meta-llama/Llama-3.1-8B-Instruct' });
      expect(other.requests[0].headers.authorization).toBe('Bearer local-secret');
      expect(fake.requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });
});
