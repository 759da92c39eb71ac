import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError, redisKeys, TurnBatcher } from '@inferq/core';
import type { RedisClient } from '../redis';

const WINDOW_S = 60;

/**
 * RATE_LIMIT_RPM per tenant over Redis (rate-limiter-flexible's fixed
 * window, one atomic Lua call per request), so every api process shares the
 * count. Answers the IETF `RateLimit-*` headers; over the limit it throws 429
 * rate_limited with Retry-After. A tenant over its limit is also blocked in
 * this process's memory until the window ends, so a flood costs Redis nothing.
 * A tenant's requests of one event-loop turn are counted together, by their
 * number, in one call: each learns its place in the window from the count
 * after the batch and its position in it, so exactly as many pass as fit.
 */
export class RequestRateLimiter {
  /** One limiter per distinct limit (a tenant override is just another limit); all share one key space. */
  private readonly byLimit = new Map<number, RateLimiterRedis>();
  private readonly keyPrefix: string;
  private readonly batcher = new TurnBatcher((key: string, n: number) => this.consumeBatch(key, n));

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keyPrefix = redisKeys(prefix).rateLimit();
  }

  /** Counts one request; returns the headers to send, or throws RateLimitedError carrying them. */
  async consume(tenant: string, rpm: number): Promise<Record<string, string>> {
    const { result, index, count } = await this.batcher.add(`${rpm} ${tenant}`);
    const res = result.res;
    // This request's count in the window: those before the batch, then its place in the batch.
    const mine = result.blocked ? Infinity : res.consumedPoints - count + index + 1;
    const h = headers(rpm, Math.max(0, rpm - mine), res.msBeforeNext);
    if (mine <= rpm) return h;
    const error = new RateLimitedError(`rate limit of ${rpm} requests per minute exceeded`, res.msBeforeNext / 1000);
    Object.assign(error.headers, h);
    throw error;
  }

  /**
   * Counts `n` requests at once. Over the limit the library rejects with the
   * same kind of answer; `blocked` when it rejected from its in-memory block
   * without counting (its answer then carries no count).
   */
  private async consumeBatch(key: string, n: number): Promise<{ res: RateLimiterRes; blocked: boolean }> {
    const space = key.indexOf(' ');
    const rpm = Number(key.slice(0, space));
    try {
      return { res: await this.limiter(rpm).consume(key.slice(space + 1), n), blocked: false };
    } catch (err) {
      if (err instanceof RateLimiterRes) return { res: err, blocked: err.consumedPoints <= rpm };
      throw err;
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

function headers(rpm: number, remaining: number, msBeforeNext: number): Record<string, string> {
  return {
    'RateLimit-Limit': String(rpm),
    'RateLimit-Remaining': String(remaining),
    'RateLimit-Reset': String(Math.max(0, Math.ceil(msBeforeNext / 1000))),
    'RateLimit-Policy': `${rpm};w=${WINDOW_S}`,
  };
}
