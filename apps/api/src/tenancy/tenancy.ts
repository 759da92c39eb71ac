import { redisKeys } from '@inferq/core';
import type { Logger } from '@inferq/core';
import {
  Admission,
  ApiKeyStore,
  IdempotencyStore,
  RequestRateLimiter,
  ResponseCache,
  SecurityChannel,
} from '@inferq/store';
import type { RedisClient } from '@inferq/store';
import { BootstrapKeys } from '../auth';
import type { ApiConfig } from '../env';
import { TenantAuthenticator } from './tenant-authenticator';
import { TenantLimits } from './limits-cache';

/** Keys, limits, idempotency and the response cache of one api process (issue #6). */
export interface Tenancy {
  keys: ApiKeyStore;
  limits: TenantLimits;
  /** The queue_full and budget gate of every submission. */
  admission: Admission;
  rateLimiter: RequestRateLimiter;
  idempotency: IdempotencyStore;
  responseCache: ResponseCache;
  authenticator: TenantAuthenticator;
  channel: SecurityChannel;
  /** Revokes an admin-API key: gone from Redis, from this process's cache and (by message) every other's. */
  revokeKey(id: string): Promise<boolean>;
  /** The pipeline's rate-limit step on every tenant request (via the adapter): counts it, returns the RateLimit-* headers (or throws 429). */
  limitRequest(tenant: string): Promise<Record<string, string>>;
}

type TenancyConfig = Pick<
  ApiConfig,
  'QUEUE_PREFIX' | 'API_KEYS' | 'RATE_LIMIT_RPM' | 'MAX_QUEUED_PER_TENANT' | 'DAILY_TOKEN_BUDGET' | 'CACHE_TTL'
>;

/**
 * `redis` is the fail-fast request connection; `subscriber` the process's
 * pub/sub connection; `pools` the catalog's, over which a tenant's counters are summed.
 */
export function createTenancy(
  config: TenancyConfig,
  redis: RedisClient,
  subscriber: RedisClient,
  logger: Logger,
  pools: readonly string[],
): Tenancy {
  const prefix = config.QUEUE_PREFIX;
  const keys = new ApiKeyStore(redis, prefix);
  const limits = new TenantLimits(redis, prefix, {
    rate_limit_rpm: config.RATE_LIMIT_RPM,
    max_queued: config.MAX_QUEUED_PER_TENANT,
    daily_token_budget: config.DAILY_TOKEN_BUDGET ?? null,
    weight: 1,
  });
  const authenticator = new TenantAuthenticator(new BootstrapKeys(config.API_KEYS), keys);
  const rateLimiter = new RequestRateLimiter(redis, prefix);
  return {
    keys,
    limits,
    admission: new Admission(redis, redisKeys(prefix), limits, pools),
    rateLimiter,
    idempotency: new IdempotencyStore(redis, prefix),
    responseCache: new ResponseCache(redis, prefix, config.CACHE_TTL),
    authenticator,
    channel: new SecurityChannel(subscriber, redisKeys(prefix).securityChannel(), authenticator, limits, logger),
    async revokeKey(id) {
      const hash = await keys.revoke(id);
      if (hash !== undefined) authenticator.forget(hash);
      return hash !== undefined;
    },
    async limitRequest(tenant) {
      const { rate_limit_rpm } = await limits.effective(tenant);
      return rateLimiter.consume(tenant, rate_limit_rpm);
    },
  };
}
