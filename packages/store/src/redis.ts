import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';

/**
 * `blocking`: BullMQ workers and subscribers wait forever for Redis to come
 * back. `request`: a request-path connection fails fast so the api can answer
 * 503 instead of hanging while Redis is down.
 */
export type RedisRole = 'blocking' | 'request';

export function createRedis(url: string, role: RedisRole, extra: RedisOptions = {}): Redis {
  const base: RedisOptions =
    role === 'blocking'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : // No auto-pipelining: with the offline queue off, ioredis 5.11's auto-pipeline throws a
        // TypeError (500) instead of a connection error (503) while the connection is not ready;
        // and measured, it gained nothing here.
        { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 };
  const redis = new Redis(url, {
    ...base,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...extra,
  });
  // Errors are reported through readiness and request failures; an unhandled
  // 'error' event would crash the process on every reconnect attempt.
  redis.on('error', () => undefined);
  return redis;
}

/** True when Redis answers PING within `timeoutMs`. */
export async function redisAnswers(redis: Redis, timeoutMs = 1000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((r) => {
    timer = setTimeout(() => r(false), timeoutMs);
  });
  try {
    return await Promise.race([redis.ping().then((p) => p === 'PONG'), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Warnings when Redis is configured in a way that can lose jobs (SPEC section 7). */
export async function durabilityWarnings(redis: Redis): Promise<string[]> {
  const warnings: string[] = [];
  try {
    const policy = (await redis.config('GET', 'maxmemory-policy')) as string[];
    if (policy[1] && policy[1] !== 'noeviction') {
      warnings.push(`Redis maxmemory-policy is ${policy[1]}; set noeviction or Redis may evict queued jobs`);
    }
    const aof = (await redis.config('GET', 'appendonly')) as string[];
    if (aof[1] !== 'yes')
      warnings.push('Redis appendonly is off; a Redis restart loses every job since the last snapshot');
  } catch {
    warnings.push('could not read Redis CONFIG (managed Redis?); make sure it runs with AOF and noeviction');
  }
  return warnings;
}
