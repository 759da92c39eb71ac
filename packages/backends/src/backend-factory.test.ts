import type { ResolvedModel } from '@inferq/core';
import { BackendError } from './backend-error';
import { createBackendFactory, type BackendsConfig } from './backend-factory';

const cfg: BackendsConfig = { openai: {}, anthropic: {}, sim: { ttftMs: 0, tokenMs: 0 }, secrets: {} };
const model = (over: Partial<ResolvedModel>): ResolvedModel => ({
  id: 'x/y',
  backend: 'sim',
  upstream: 'y',
  pool: 'default',
  ...over,
});

describe('createBackendFactory', () => {
  it('builds each kind and reuses clients per kind and base URL', () => {
    const factory = createBackendFactory(cfg);
    expect(factory(model({ backend: 'sim' })).kind).toBe('sim');
    // No API keys configured: construction must still succeed (the provider answers 401 later).
    const a = factory(model({ backend: 'openai', upstream: 'gpt-a' }));
    expect(a.kind).toBe('openai');
    expect(factory(model({ backend: 'openai', upstream: 'gpt-b' }))).toBe(a);
    expect(factory(model({ backend: 'anthropic' })).kind).toBe('anthropic');
    const gpu1 = factory(model({ backend: 'openai-compatible', baseUrl: 'http://gpu-1:8000/v1' }));
    const gpu2 = factory(model({ backend: 'openai-compatible', baseUrl: 'http://gpu-2:8000/v1' }));
    expect(gpu1).not.toBe(gpu2);
    expect(gpu1.kind).toBe('openai-compatible');
  });

  it('refuses an openai-compatible model with nowhere to send it', () => {
    expect(() => createBackendFactory(cfg)(model({ backend: 'openai-compatible' }))).toThrow(BackendError);
  });
});
