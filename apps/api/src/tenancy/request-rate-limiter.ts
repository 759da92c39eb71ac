import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError, redisKeys } from '@inferq/core';
import type { Redis } from './redis-client';

const WINDOW_S = 60;

/**
 * RATE_LIMIT_RPM per tenant over Redis (rate-limiter-flexible's fixed
 * window, one atomic Lua call per request), so every api process shares the
 * count. Answers the IETF `RateLimit-*` headers; over the limit it throws 429
 * rate_limited with Retry-After. A tenant over its limit is also blocked in
 * this process's memory until the window ends, so a flood costs Redis nothing.
 */
export class RequestRateLimiter {
  /** One limiter per distinct limit (a tenant override is just another limit); all share one key space. */
  private readonly byLimit = new Map<number, RateLimiterRedis>();
  private readonly keyPrefix: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keyPrefix = redisKeys(prefix).rateLimit();
  }

  /** Counts one request; returns the headers to send, or throws RateLimitedError carrying them. */
  async consume(tenant: string, rpm: number): Promise<Record<string, string>> {
    try {
      const res = await this.limiter(rpm).consume(tenant, 1);
      return headers(rpm, res);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      const error = new RateLimitedError(`rate limit of ${rpm} requests per minute exceeded`, err.msBeforeNext / 1000);
      Object.assign(error.headers, headers(rpm, err));
      throw error;
    }
  }

  private limiter(rpm: number): RateLimiterRedis {
    let l = this.byLimit.get(rpm);
    if (!l) {
      l = new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: this.keyPrefix,
        points: rpm,
        duration: WINDOW_S,
        inMemoryBlockOnConsumed: rpm + 1,
      });
      this.byLimit.set(rpm, l);
    }
    return l;
  }
}

function headers(rpm: number, res: RateLimiterRes): Record<string, string> {
  return {
    'RateLimit-Limit': String(rpm),
    'RateLimit-Remaining': String(Math.max(0, res.remainingPoints)),
    'RateLimit-Reset': String(Math.max(0, Math.ceil(res.msBeforeNext / 1000))),
    'RateLimit-Policy': `${rpm};w=${WINDOW_S}`,
  };
}
