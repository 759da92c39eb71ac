import { redisKeys } from '@inferq/core';
import type { RedisKeys } from '@inferq/core';
import { TtlCache } from './ttl-cache';
import type { Redis } from './redis-client';

/** A tenant's limits; the names are those of the admin API. */
export interface Limits {
  /** Authenticated /v1 requests per minute. */
  rate_limit_rpm: number;
  /** Jobs queued or running before 429 queue_full. */
  max_queued: number;
  /** Tokens (input + output) per UTC day before 429 budget_exceeded; null means none. */
  daily_token_budget: number | null;
  /** Share of each pool relative to other tenants, in tokens (SPEC section 9); 0.01 to 1000. */
  weight: number;
}
export type LimitName = keyof Limits;
export const LIMIT_NAMES: readonly LimitName[] = ['rate_limit_rpm', 'max_queued', 'daily_token_budget', 'weight'];

/** An override per limit; `null` in a patch removes it (back to the default). */
export type LimitOverrides = Partial<Record<LimitName, number>>;
export type LimitPatch = Partial<Record<LimitName, number | null>>;

/** How long a process trusts its copy of a tenant's overrides when no change message arrives (ms). */
export const LIMITS_CACHE_MS = 5000;

/**
 * Per-tenant overrides of RATE_LIMIT_RPM, MAX_QUEUED_PER_TENANT,
 * DAILY_TOKEN_BUDGET and the fair-share weight (default 1), one Redis hash per tenant. They are read on every
 * request (the rate limit), so each process keeps a short-lived copy that a
 * change drops at once through the security channel.
 */
export class TenantLimits {
  private readonly keys: RedisKeys;
  private readonly cache = new TtlCache<LimitOverrides>(LIMITS_CACHE_MS);

  constructor(
    private readonly redis: Redis,
    prefix: string,
    readonly defaults: Limits,
  ) {
    this.keys = redisKeys(prefix);
  }

  async overrides(tenant: string): Promise<LimitOverrides> {
    const cached = this.cache.get(tenant);
    if (cached) return cached;
    const h = await this.redis.hgetall(this.keys.tenantLimits(tenant));
    const out: LimitOverrides = {};
    for (const name of LIMIT_NAMES) if (h[name]) out[name] = Number(h[name]);
    this.cache.set(tenant, out);
    return out;
  }

  async effective(tenant: string): Promise<Limits> {
    return { ...this.defaults, ...(await this.overrides(tenant)) };
  }

  /** Applies a patch atomically and tells every api process (MULTI: the write and the message go together). */
  async update(tenant: string, patch: LimitPatch): Promise<void> {
    const key = this.keys.tenantLimits(tenant);
    const tx = this.redis.multi();
    for (const name of LIMIT_NAMES) {
      const v = patch[name];
      if (v === null) tx.hdel(key, name);
      else if (v !== undefined) tx.hset(key, name, String(v));
    }
    tx.publish(this.keys.securityChannel(), `limits:${tenant}`);
    await tx.exec();
    this.cache.delete(tenant);
  }

  forget(tenant: string): void {
    this.cache.delete(tenant);
  }

  forgetAll(): void {
    this.cache.clear();
  }
}
