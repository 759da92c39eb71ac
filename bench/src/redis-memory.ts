import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from '@inferq/testkit';

/**
 * Redis memory per key, for the memory benchmark. MEMORY USAGE (SAMPLES 0:
 * exact) counts a key's value, its name and its dictionary entry; a key with
 * a TTL costs about 24 bytes more in the expires table, not counted.
 */
export async function memoryOf(redis: Redis, keys: string[]): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < keys.length; i += 1000) {
    const pipe = redis.pipeline();
    for (const k of keys.slice(i, i + 1000)) pipe.memory('USAGE', k, 'SAMPLES', '0');
    for (const [, v] of (await pipe.exec()) ?? []) out.push(Number(v ?? 0));
  }
  return out;
}

export const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Every key under a prefix. */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  // Hash-tagged keys (BullMQ queues, pools, jobs: `{prefix:...}`) begin with the tag.
  for (const pattern of [`${prefix}:*`, `{${prefix}:*`]) {
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
  }
  return keys;
}

/** Bytes of the sorted sets under a prefix (indexes and queue sets: their cost grows with the jobs they hold). */
export async function zsetBytes(redis: Redis, prefix: string): Promise<number> {
  const keys = await keysUnder(redis, prefix);
  const pipe = redis.pipeline();
  for (const k of keys) pipe.type(k);
  const types = ((await pipe.exec()) ?? []).map(([, t]) => String(t));
  return sum(
    await memoryOf(
      redis,
      keys.filter((_, i) => types[i] === 'zset'),
    ),
  );
}

export interface PrivateRedis {
  url: string;
  stop(): Promise<void>;
}

/**
 * A redis-server of the benchmark's own (no persistence), so memory figures
 * see no other tenant's keys; undefined when redis-server is not on PATH.
 */
export async function startPrivateRedis(): Promise<PrivateRedis | undefined> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const failed = new Promise<undefined>((resolve) => child.once('error', () => resolve(undefined)));
  const url = `redis://127.0.0.1:${port}`;
  const ready = (async () => {
    for (let i = 0; i < 50; i++) {
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        await probe.ping();
        probe.disconnect();
        return true;
      } catch {
        probe.disconnect();
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return false;
  })();
  if (!(await Promise.race([ready, failed]))) {
    child.kill('SIGKILL');
    return undefined;
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
