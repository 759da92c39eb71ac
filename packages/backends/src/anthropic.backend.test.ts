import { startFakeAnthropic } from '@inferq/testkit';
import type { GenerateRequest } from './backend.types';
import type { BackendsConfig } from './backend-factory';
import { abortCases, classificationCases } from './test/provider-cases';
import { backendsConfig, providerUnderTest, run } from './test/provider-under-test';

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

describe('AnthropicBackend against the fake Anthropic', () => {
  const config = (url: string, over: Partial<BackendsConfig> = {}): BackendsConfig =>
    backendsConfig({ anthropic: { apiKey: 'sk-ant-test', baseURL: url } }, over);
  const model = {
    id: 'anthropic/claude-test',
    backend: 'anthropic' as const,
    upstream: 'claude-test',
    pool: 'default',
  };

  const provider = providerUnderTest({ start: startFakeAnthropic, config, model, req });

  it('streams tokens in order, with usage and finish reason; system goes to the system field', async () => {
    provider.fake.script({ kind: 'echo', ttftMs: 5, tokenMs: 5 });
    const { tokens, result } = run(provider.backend, req());
    const out = await result;
    expect(tokens).toEqual(['jumps ', 'over ', 'the ', 'lazy ', 'dog']);
    expect(out).toEqual({
      text: 'jumps over the lazy dog',
      finishReason: 'stop',
      usage: { input_tokens: 11, output_tokens: 5 },
    });
    const sent = provider.fake.requests[0];
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
    const out = await run(provider.backend, req({ params: { max_tokens: 2, stop: 'END' } })).result;
    expect(out).toMatchObject({ text: 'jumps over ', finishReason: 'length', usage: { output_tokens: 2 } });
    expect(provider.fake.requests[0].body).toMatchObject({ max_tokens: 2, stop_sequences: ['END'] });
  });

  it('maps stop_sequence to stop', async () => {
    const out = await run(provider.backend, req({ params: { stop: ['lazy'] } })).result;
    expect(out).toMatchObject({ text: 'jumps over the ', finishReason: 'stop' });
  });

  classificationCases(provider, [
    {
      name: 'classifies 429 with Retry-After as rate limited, retryable, 2000 ms',
      script: [{ kind: 'status', status: 429, retryAfter: '2' }],
      expected: [{ code: 'provider_rate_limited', retryable: true, retryAfterMs: 2000, status: 429 }],
    },
    {
      name: 'classifies 500 and 529 as unavailable and retryable',
      script: [
        { kind: 'status', status: 500 },
        { kind: 'status', status: 529 },
      ],
      expected: [
        { code: 'provider_unavailable', retryable: true },
        { code: 'provider_unavailable', status: 529 },
      ],
    },
    {
      name: 'classifies 400 as rejected, not retryable, after exactly one request',
      script: [{ kind: 'status', status: 400 }],
      expected: [{ code: 'provider_rejected', retryable: false }],
      requests: { count: 1, settleMs: 50 },
    },
    {
      name: 'classifies 401 and 403 as provider_auth',
      script: [
        { kind: 'status', status: 401 },
        { kind: 'status', status: 403 },
      ],
      expected: [
        { code: 'provider_auth', retryable: false },
        { code: 'provider_auth', retryable: false },
      ],
    },
    {
      name: 'classifies a reset connection as unavailable',
      script: [{ kind: 'reset' }],
      expected: [{ code: 'provider_unavailable', retryable: true }],
    },
    {
      name: 'classifies the deadline as provider_timeout',
      script: [{ kind: 'hang' }],
      expected: [{ code: 'provider_timeout', retryable: true }],
      sdkTimeoutMs: 200,
    },
  ]);

  abortCases(provider, 'jumps ');
});
