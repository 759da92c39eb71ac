import { startFakeOpenAI } from '@inferq/testkit';
import type { GenerateRequest } from './backend.types';
import { createBackendFactory, type BackendsConfig } from './backend-factory';
import { abortCases, classificationCases } from './test/provider-cases';
import { backendsConfig, failure, providerUnderTest, run } from './test/provider-under-test';

const req = (over: Partial<GenerateRequest> = {}): GenerateRequest => ({
  model: 'gpt-test',
  messages: [
    { role: 'system', content: 'be brief' },
    { role: 'user', content: 'the quick brown fox' },
  ],
  params: {},
  ...over,
});

describe('OpenAIBackend against the fake OpenAI', () => {
  const config = (url: string, over: Partial<BackendsConfig> = {}): BackendsConfig =>
    backendsConfig({ openai: { apiKey: 'sk-test', baseURL: url } }, over);
  const model = { id: 'openai/gpt-test', backend: 'openai' as const, upstream: 'gpt-test', pool: 'default' };

  const provider = providerUnderTest({ start: startFakeOpenAI, config, model, req });

  it('streams tokens in order, with usage and finish reason', async () => {
    provider.fake.script({ kind: 'echo', ttftMs: 5, tokenMs: 5 });
    const { tokens, result } = run(provider.backend, req());
    const out = await result;
    expect(tokens).toEqual(['the ', 'quick ', 'brown ', 'fox']);
    expect(out).toEqual({
      text: 'the quick brown fox',
      finishReason: 'stop',
      usage: { input_tokens: 6, output_tokens: 4 },
    });
    expect(provider.fake.requests[0].headers.authorization).toBe('Bearer sk-test');
    expect(provider.fake.requests[0].body).toMatchObject({
      model: 'gpt-test',
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('forwards params and reports length when cut at max_tokens', async () => {
    const params = { temperature: 0.2, top_p: 0.9, max_tokens: 2, stop: ['\n\n'], seed: 7 };
    const out = await run(provider.backend, req({ params })).result;
    expect(out).toMatchObject({ text: 'the quick ', finishReason: 'length', usage: { output_tokens: 2 } });
    expect(provider.fake.requests[0].body).toMatchObject(params);
  });

  classificationCases(provider, [
    {
      name: 'classifies 429 with Retry-After as rate limited, retryable, 2000 ms',
      script: [{ kind: 'status', status: 429, retryAfter: '2' }],
      expected: [{ code: 'provider_rate_limited', retryable: true, retryAfterMs: 2000, status: 429 }],
    },
    {
      name: 'classifies 500 as unavailable and retryable',
      script: [{ kind: 'status', status: 500 }],
      expected: [{ code: 'provider_unavailable', retryable: true }],
    },
    {
      name: 'classifies 400 as rejected, not retryable, after exactly one request',
      script: [{ kind: 'status', status: 400 }],
      expected: [{ code: 'provider_rejected', retryable: false }],
      requests: { count: 1, settleMs: 50 },
    },
    {
      name: 'classifies 401 as provider_auth',
      script: [{ kind: 'status', status: 401 }],
      expected: [{ code: 'provider_auth', retryable: false }],
    },
    {
      name: 'classifies a reset connection as unavailable',
      script: [{ kind: 'reset' }],
      expected: [{ code: 'provider_unavailable', retryable: true }],
      requests: { count: 1 },
    },
    {
      name: 'classifies the SDK deadline as provider_timeout',
      script: [{ kind: 'hang' }],
      expected: [{ code: 'provider_timeout', retryable: true }],
      sdkTimeoutMs: 200,
    },
  ]);

  it('classifies connection refused as unavailable', async () => {
    const dead = createBackendFactory(config('http://127.0.0.1:9/v1'))(model);
    expect(await failure(run(dead, req()).result)).toMatchObject({ code: 'provider_unavailable' });
  });

  abortCases(provider, 'the ');

  it('serves an openai-compatible model through the factory with its base URL and key', async () => {
    const other = await startFakeOpenAI();
    try {
      const factory = createBackendFactory(config(provider.fake.url, { secrets: { LOCAL_KEY: 'local-secret' } }));
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
      expect(provider.fake.requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });
});
