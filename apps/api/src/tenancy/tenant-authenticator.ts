import { sha256Hex } from '@inferq/core';
import { API_KEY_PATTERN } from '@inferq/store';
import type { ApiKeyStore } from '@inferq/store';
import type { Authenticator, BootstrapKeys } from '../auth';
import { TtlCache } from './ttl-cache';

/** Upper bound on how long a revoked key can still pass when its pub/sub message was lost (ms). */
export const KEY_CACHE_MS = 5000;

/**
 * Bootstrap keys (API_KEYS, hashed at load, compared in constant time) first,
 * then keys made through the admin API, looked up in Redis by SHA-256 digest:
 * the lookup's timing depends on the digest only, which says nothing about
 * the key. Tokens that cannot be an admin-API key never reach Redis.
 */
export class TenantAuthenticator implements Authenticator {
  private readonly cache = new TtlCache<string>(KEY_CACHE_MS);

  constructor(
    private readonly bootstrap: BootstrapKeys,
    private readonly store: ApiKeyStore,
  ) {}

  authenticate(token: string): Promise<string | undefined> {
    // The bootstrap keys answer synchronously: no async step for the common case.
    const boot = this.bootstrap.tenantOf(token);
    return boot !== undefined ? Promise.resolve(boot) : this.fromStore(token);
  }

  private async fromStore(token: string): Promise<string | undefined> {
    if (!API_KEY_PATTERN.test(token)) return undefined;
    const hash = sha256Hex(token);
    const cached = this.cache.get(hash);
    if (cached !== undefined) return cached;
    // Only hits are cached: a new key works at once, a guessed one is never remembered.
    const tenant = await this.store.tenantOf(hash);
    if (tenant !== undefined) this.cache.set(hash, tenant);
    return tenant;
  }

  /** A key digest was revoked (here or in another process). */
  forget(hash: string): void {
    this.cache.delete(hash);
  }

  /** After a pub/sub reconnect, messages may have been missed: trust nothing cached. */
  forgetAll(): void {
    this.cache.clear();
  }
}
