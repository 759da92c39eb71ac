import type { Agent, Test } from 'supertest';
import { createRedis } from '@inferq/store';
import { testRedisUrl } from '@inferq/testkit';
import type { StartedApi } from '../index';
import { startApiOver } from './harness';

export const ADMIN_TOKEN = 'admin_token_0123456789abcdef';
export const AUTH_ADMIN = { Authorization: `Bearer ${ADMIN_TOKEN}` };
export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

/** Another api process's worth (own connections, own caches) over the same prefix, as behind a load balancer. */
export function startPeerApi(
  prefix: string,
  env: Record<string, string> = {},
): Promise<{ api: StartedApi; http: Agent }> {
  return startApiOver(prefix, { ADMIN_TOKEN, ...env });
}

/** A request of any method of the route table. */
export function call(http: Agent, method: string, path: string): Test {
  switch (method) {
    case 'GET':
      return http.get(path);
    case 'POST':
      return http.post(path);
    case 'PUT':
      return http.put(path);
    case 'DELETE':
      return http.delete(path);
    default:
      throw new Error(`the test does not know method ${method}`);
  }
}

/** Every key name, hash field and value under the prefix, as text (for "no secret stored in plain text"). */
export async function dumpPrefix(prefix: string): Promise<string[]> {
  const redis = createRedis(testRedisUrl(), 'blocking');
  const out: string[] = [];
  try {
    let cursor = '0';
    do {
      // Tagged keys put the prefix inside braces (`{<prefix>:pool-x}:...`): match it anywhere.
      const [next, keys] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) out.push(key, ...(await valuesOf(redis, key)));
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return out;
}

async function valuesOf(redis: ReturnType<typeof createRedis>, key: string): Promise<string[]> {
  switch (await redis.type(key)) {
    case 'string':
      return [(await redis.get(key)) ?? ''];
    case 'hash':
      return Object.entries(await redis.hgetall(key)).flat();
    case 'list':
      return redis.lrange(key, 0, -1);
    case 'set':
      return redis.smembers(key);
    case 'zset':
      return redis.zrange(key, 0, -1);
    case 'stream':
      return (await redis.xrange(key, '-', '+')).flatMap(([id, fields]) => [id, ...fields]);
    default:
      return [];
  }
}
