import { TenantLimitStore } from '@inferq/store';
import type { LimitOverrides, LimitPatch, Limits, LimitSource, RedisClient } from '@inferq/store';
import { TtlCache } from './ttl-cache';

/** How long a process trusts its copy of a tenant's overrides when no change message arrives (ms). */
export const LIMITS_CACHE_MS = 5000;

/**
 * A tenant's limits in effect: the defaults (RATE_LIMIT_RPM,
 * MAX_QUEUED_PER_TENANT, DAILY_TOKEN_BUDGET, weight 1) with the overrides the
 * store keeps. They are read on every request (the rate limit), so each
 * process keeps a short-lived copy that a change drops at once through the
 * security channel.
 */
export class TenantLimits implements LimitSource {
  private readonly store: TenantLimitStore;
  private readonly cache = new TtlCache<LimitOverrides>(LIMITS_CACHE_MS);
  /** Reads in flight by tenant: a burst of one tenant's requests after expiry costs one read, not one each. */
  private readonly reading = new Map<string, Promise<LimitOverrides>>();
  /** The limits in effect per overrides object read (gone with it). */
  private readonly merged = new WeakMap<LimitOverrides, Limits>();

  constructor(
    redis: RedisClient,
    prefix: string,
    readonly defaults: Limits,
  ) {
    this.store = new TenantLimitStore(redis, prefix);
  }

  overrides(tenant: string): Promise<LimitOverrides> {
    const cached = this.cache.get(tenant);
    if (cached) return Promise.resolve(cached);
    const pending = this.reading.get(tenant);
    if (pending) return pending;
    const read = this.store.overrides(tenant).then(
      (out) => {
        // A change heard meanwhile dropped this read: its answer may predate the change, so it is not kept.
        if (this.reading.get(tenant) === read) this.cache.set(tenant, out);
        this.reading.delete(tenant);
        return out;
      },
      (err: unknown) => {
        if (this.reading.get(tenant) === read) this.reading.delete(tenant);
        throw err;
      },
    );
    this.reading.set(tenant, read);
    return read;
  }

  /**
   * Read three times per submit (rate limit, admission, weight): from the
   * cache it answers at once with the object made for that read of the
   * overrides, shared until the next read (callers only read it).
   */
  effective(tenant: string): Promise<Limits> {
    const cached = this.cache.get(tenant);
    if (cached) return Promise.resolve(this.withDefaults(cached));
    return this.overrides(tenant).then((o) => this.withDefaults(o));
  }

  private withDefaults(overrides: LimitOverrides): Limits {
    let limits = this.merged.get(overrides);
    if (!limits) {
      limits = { ...this.defaults, ...overrides };
      this.merged.set(overrides, limits);
    }
    return limits;
  }

  /** Applies a patch atomically and tells every api process; this one's copy goes at once. */
  async update(tenant: string, patch: LimitPatch): Promise<void> {
    await this.store.update(tenant, patch);
    this.forget(tenant);
  }

  forget(tenant: string): void {
    this.cache.delete(tenant);
    this.reading.delete(tenant);
  }

  forgetAll(): void {
    this.cache.clear();
    this.reading.clear();
  }
}
