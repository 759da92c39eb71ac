import { testEnv } from './test-env';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { RedisTargetInfo } from './redis-target-info';

/** The Redis every test talks to; jest's global setup has found or started it. */
export function testRedisUrl(): string {
  return testEnv().REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** A key prefix of one's own, so test files run in parallel without touching each other. */
export function testPrefix(name: string): string {
  return `iqt-${name}-${randomBytes(4).toString('hex')}`;
}

/**
 * Deletes every key under the prefix, the pools' hash-tagged keys (`{prefix:pool-...}`) too,
 * on a Redis URL or a ready test target (on a cluster, on each master: SCAN sees one node's keys).
 */
export async function dropPrefix(prefix: string, where: string | RedisTargetInfo = testRedisUrl()): Promise<void> {
  const urls =
    typeof where === 'string'
      ? [where]
      : where.nodes.length
        ? where.nodes.map((n) => `redis://${n}`)
        : [where.env.REDIS_URL ?? testRedisUrl()];
  await Promise.all(urls.map((url) => dropOnNode(prefix, url)));
}

async function dropOnNode(prefix: string, url: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    for (const pattern of [`${prefix}:*`, `{${prefix}:*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        // One key per UNLINK: a cluster node refuses a multi-key command over two slots.
        if (keys.length) await keys.reduce((p, k) => p.unlink(k), redis.pipeline()).exec();
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}

/** Polls until `check` returns a value that is not undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `waitFor timed out after ${timeoutMs} ms${last ? `: ${last instanceof Error ? last.message : JSON.stringify(last)}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
