import { redisKeys } from '@inferq/core';
import type { RedisKeys } from '@inferq/core';
import type { RedisClient } from '../redis';
import { publish } from '../redis';

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

/** What admission and the rate limit read: a tenant's limits in effect (defaults with its overrides). */
export interface LimitSource {
  effective(tenant: string): Promise<Limits>;
}

/**
 * Per-tenant overrides of RATE_LIMIT_RPM, MAX_QUEUED_PER_TENANT,
 * DAILY_TOKEN_BUDGET and the fair-share weight (default 1), one Redis hash per
 * tenant. A change is announced on the security channel in the same MULTI, so
 * every api process can drop its cached copy at once.
 */
export class TenantLimitStore {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = redisKeys(prefix);
  }

  async overrides(tenant: string): Promise<LimitOverrides> {
    const h = await this.redis.hgetall(this.keys.tenantLimits(tenant));
    const out: LimitOverrides = {};
    for (const name of LIMIT_NAMES) if (h[name]) out[name] = Number(h[name]);
    return out;
  }

  /**
   * Applies a patch atomically, then tells every api process. Two steps: the
   * limits spread by tenant, the channel lives in another slot. A message lost
   * between them (a crash) leaves other processes' copies stale until their
   * cache's time limit.
   */
  async update(tenant: string, patch: LimitPatch): Promise<void> {
    const key = this.keys.tenantLimits(tenant);
    const tx = this.redis.multi();
    for (const name of LIMIT_NAMES) {
      const v = patch[name];
      if (v === null) tx.hdel(key, name);
      else if (v !== undefined) tx.hset(key, name, String(v));
    }
    await tx.exec();
    await publish(this.redis, this.keys.securityChannel(), `limits:${tenant}`);
  }
}
