import type { RedisClient } from './redis';
import { canonicalJson, JobOutput, redisKeys, sha256Hex } from '@inferq/core';
import type { JobInput, JobParams, RedisKeys } from '@inferq/core';
import { decodePayload, encodePayload } from './payload-codec';

/** What decides a cached answer: equal tenant, model, input and params give equal keys. */
export interface CacheableRequest {
  input: JobInput;
  params?: JobParams;
  cache?: boolean;
}

/**
 * Only deterministic requests are answered from the cache: the caller asked
 * for it (`cache: true`) and sampling is greedy (`temperature` 0 exactly;
 * unset means the provider's default, which samples).
 */
export function isCacheable(req: CacheableRequest): boolean {
  return req.cache === true && req.params?.temperature === 0;
}

/**
 * The response cache: the worker stores a cache-eligible job's output after
 * it succeeds, the api reads it at submit. Entries expire after CACHE_TTL;
 * keys are SHA-256 digests, so no prompt text appears in a key name. Large
 * outputs are stored compressed, as in job payloads (payload-codec.ts).
 */
export class ResponseCache {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    /** How long an entry answers (ms). */
    private readonly ttlMs: number,
  ) {
    this.keys = redisKeys(prefix);
  }

  /** Redis key of a request's entry; the tenant is part of the digest, so tenants never share answers. */
  keyOf(tenant: string, model: string, req: CacheableRequest): string {
    const digest = sha256Hex(canonicalJson({ tenant, model, input: req.input, params: req.params ?? {} }));
    return this.keys.responseCache(digest);
  }

  async get(tenant: string, model: string, req: CacheableRequest): Promise<JobOutput | undefined> {
    const stored = await this.redis.getBuffer(this.keyOf(tenant, model, req));
    if (!stored) return undefined;
    // An entry that no longer parses (older format) is a miss, never an error.
    const parsed = JobOutput.safeParse(safeJson(await decodePayload(stored).catch(() => '')));
    return parsed.success ? parsed.data : undefined;
  }

  async put(tenant: string, model: string, req: CacheableRequest, output: JobOutput): Promise<void> {
    await this.redis.set(this.keyOf(tenant, model, req), await encodePayload(JSON.stringify(output)), 'PX', this.ttlMs);
  }
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
