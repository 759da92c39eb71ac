import Anthropic from '@anthropic-ai/sdk';
import { assertNever, type ResolvedModel } from '@inferq/core';
import OpenAI from 'openai';
import { AnthropicBackend } from './anthropic.backend';
import { BackendError } from './backend-error';
import type { Backend } from './backend.types';
import { OpenAIBackend } from './openai.backend';
import { DEFAULT_DEADLINE_MS } from './provider-call';
import { SimBackend } from './sim.backend';

export interface BackendsConfig {
  openai: { apiKey?: string; baseURL?: string };
  anthropic: { apiKey?: string; baseURL?: string };
  sim: { ttftMs: number; tokenMs: number };
  /** Env values, looked up by a model's apiKeyEnv (openai-compatible models). */
  secrets: Record<string, string | undefined>;
  /**
   * Limit on one provider call, in ms; past it the call fails provider_timeout.
   * Generous on purpose: the job's timeout arrives through the caller's signal.
   * Default 1 hour.
   */
  sdkTimeoutMs?: number;
}

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';
export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
/**
 * Without a key the SDK constructors throw at start; a placeholder lets the
 * process boot and the provider answer 401, which classifies as provider_auth.
 */
const PLACEHOLDER_KEY = 'missing-api-key';

/**
 * Builds the backend for a resolved model, one SDK client per (kind, base URL,
 * key). Every value is passed explicitly so the SDKs never fall back to
 * the environment; retries are off because inferq retries through its queue.
 */
export function createBackendFactory(cfg: BackendsConfig): (model: ResolvedModel) => Backend {
  const cache = new Map<string, Backend>();
  const deadlineMs = cfg.sdkTimeoutMs ?? DEFAULT_DEADLINE_MS;
  // The SDKs' own timeout (time to response headers) is only a backstop behind
  // our deadline, which covers the whole stream and is classified reliably.
  const timeout = deadlineMs + 1000;
  const cached = (key: string, make: () => Backend): Backend => {
    let backend = cache.get(key);
    if (!backend) cache.set(key, (backend = make()));
    return backend;
  };
  const openai = (kind: 'openai' | 'openai-compatible', baseURL: string, apiKey: string): Backend =>
    cached(`${kind}|${baseURL}|${apiKey}`, () => {
      const client = new OpenAI({ apiKey, baseURL, organization: null, project: null, maxRetries: 0, timeout });
      return new OpenAIBackend(client, kind, deadlineMs);
    });

  return (model) => {
    switch (model.backend) {
      case 'sim':
        return cached('sim', () => new SimBackend(cfg.sim));
      case 'openai':
        return openai('openai', cfg.openai.baseURL ?? OPENAI_DEFAULT_BASE_URL, cfg.openai.apiKey ?? PLACEHOLDER_KEY);
      case 'openai-compatible': {
        const baseURL = model.baseUrl ?? cfg.openai.baseURL;
        if (!baseURL) throw new BackendError('unknown_model', `${model.id}: openai-compatible model without base_url`);
        // vLLM and friends want some bearer string even when they check none.
        const apiKey = (model.apiKeyEnv && cfg.secrets[model.apiKeyEnv]) || 'unused';
        return openai('openai-compatible', baseURL, apiKey);
      }
      case 'anthropic': {
        const baseURL = cfg.anthropic.baseURL ?? ANTHROPIC_DEFAULT_BASE_URL;
        const apiKey = cfg.anthropic.apiKey ?? PLACEHOLDER_KEY;
        return cached(`anthropic|${baseURL}|${apiKey}`, () => {
          const client = new Anthropic({ apiKey, baseURL, maxRetries: 0, timeout });
          return new AnthropicBackend(client, deadlineMs);
        });
      }
      default:
        return assertNever(model.backend);
    }
  };
}
