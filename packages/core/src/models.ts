import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ModelId } from './job-request.schema';

export const BackendKind = z.enum(['openai', 'anthropic', 'openai-compatible', 'sim']);
export type BackendKind = z.infer<typeof BackendKind>;

export const PoolName = z.string().regex(/^[a-z0-9_-]{1,64}$/, 'pool names are [a-z0-9_-]{1,64}');

/** One entry of MODELS_FILE. */
export const ModelSpec = z.strictObject({
  id: ModelId,
  backend: BackendKind,
  base_url: z.string().url().optional(),
  /** The name the upstream server knows the model by; defaults to the part of id after the slash. */
  model: z.string().min(1).optional(),
  pool: PoolName.default('default'),
  max_concurrency: z.number().int().positive().optional(),
  /** max_tokens for requests that set none: sent upstream, and the fair scheduler's estimate (SPEC section 9). */
  default_max_tokens: z.number().int().positive().optional(),
  /** Environment variable holding the upstream API key, when the server wants one. */
  api_key_env: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/)
    .optional(),
  /** Optional price table for usage estimates, in USD per million tokens. */
  price: z.strictObject({ input_per_mtok: z.number().min(0), output_per_mtok: z.number().min(0) }).optional(),
});
export type ModelSpec = z.output<typeof ModelSpec>;

export const ModelsFile = z.strictObject({ models: z.array(ModelSpec) });

/** A model id resolved to the backend that serves it. */
export interface ResolvedModel {
  id: string;
  backend: BackendKind;
  /** Model name sent upstream. */
  upstream: string;
  pool: string;
  baseUrl?: string;
  apiKeyEnv?: string;
  maxConcurrency?: number;
  /** max_tokens of requests that set none (MODELS_FILE `default_max_tokens`). */
  defaultMaxTokens?: number;
}

/** Providers served without any MODELS_FILE entry; `sim` serves only sim/echo. */
const BUILT_IN: Record<string, BackendKind> = { openai: 'openai', anthropic: 'anthropic' };
export const SIM_MODEL_ID = 'sim/echo';

export class ModelCatalog {
  private readonly byId = new Map<string, ModelSpec>();

  constructor(
    specs: ModelSpec[] = [],
    private readonly defaultPool = 'default',
  ) {
    for (const s of specs) this.byId.set(s.id, s);
  }

  static fromFile(path: string | undefined): ModelCatalog {
    if (!path) return new ModelCatalog();
    const parsed = ModelsFile.parse(JSON.parse(readFileSync(path, 'utf8')));
    return new ModelCatalog(parsed.models);
  }

  /** The model, or undefined when nothing here serves it. */
  resolve(id: string): ResolvedModel | undefined {
    const spec = this.byId.get(id);
    if (spec) {
      return {
        id,
        backend: spec.backend,
        upstream: spec.model ?? id.slice(id.indexOf('/') + 1),
        pool: spec.pool,
        baseUrl: spec.base_url,
        apiKeyEnv: spec.api_key_env,
        maxConcurrency: spec.max_concurrency,
        defaultMaxTokens: spec.default_max_tokens,
      };
    }
    if (id === SIM_MODEL_ID) return { id, backend: 'sim', upstream: 'echo', pool: this.defaultPool };
    const provider = id.slice(0, id.indexOf('/'));
    const backend = BUILT_IN[provider];
    if (!backend) return undefined;
    return { id, backend, upstream: id.slice(provider.length + 1), pool: this.defaultPool };
  }

  /** What GET /v1/models lists: the file's models and the built-in families. */
  /** Every pool a model of this catalog belongs to. */
  pools(): string[] {
    return [...new Set(this.list().map((m) => m.pool))];
  }

  list(): Array<{ id: string; backend: BackendKind; pool: string }> {
    const builtIn = [
      { id: SIM_MODEL_ID, backend: 'sim' as const, pool: this.defaultPool },
      { id: 'openai/*', backend: 'openai' as const, pool: this.defaultPool },
      { id: 'anthropic/*', backend: 'anthropic' as const, pool: this.defaultPool },
    ];
    const files = [...this.byId.values()].map((s) => ({ id: s.id, backend: s.backend, pool: s.pool }));
    return [...files, ...builtIn];
  }

  spec(id: string): ModelSpec | undefined {
    return this.byId.get(id);
  }
}
