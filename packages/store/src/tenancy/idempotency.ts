import { ConflictError, IdempotencyMismatchError, redisKeys } from '@inferq/core';
import type { RedisKeys } from '@inferq/core';
import type { RedisClient } from '../redis';
import { withLuaCommands } from '../lua-commands';
import { luaScript } from '../lua-files';

/** SPEC section 4: a key answers with the same job for 24 h. */
const TTL_MS = 24 * 3_600_000;
/** How long a duplicate waits for the first request to create its job (ms), and how often it looks. */
const WAIT_MS = 10_000;
const POLL_MS = 20;

/** idempotency-cas.lua: see its header. */
const CAS_LUA = luaScript('idempotency-cas');

type Scripted = RedisClient & {
  iqIdemCas(key: string, expected: string, next: string, ttlMs: string): Promise<number>;
};

export type IdempotencyClaim =
  { kind: 'replay'; jobId: string } | { kind: 'owner'; commit(jobId: string): Promise<void>; release(): Promise<void> };

/**
 * Idempotency-Key, scoped to the tenant. The first request SETs a pending
 * marker with NX (value `p:<body digest>`), so of any number of concurrent
 * duplicates exactly one owns the key and creates the job, then commits
 * `j:<body digest>:<job id>`. The others wait for that and replay it; a
 * different body is 422. An owner that fails releases the key, so a retry
 * may succeed.
 */
export class IdempotencyStore {
  private readonly redis: Scripted;
  private readonly keys: RedisKeys;

  constructor(redis: RedisClient, prefix: string) {
    this.keys = redisKeys(prefix);
    this.redis = withLuaCommands<Scripted>(redis, { iqIdemCas: { numberOfKeys: 1, lua: CAS_LUA } });
  }

  async claim(tenant: string, key: string, digest: string, signal?: AbortSignal): Promise<IdempotencyClaim> {
    const k = this.keys.idempotency(tenant, key);
    const pending = `p:${digest}`;
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      if ((await this.redis.set(k, pending, 'PX', TTL_MS, 'NX')) === 'OK') return this.owner(k, pending, digest);
      const seen = await this.redis.get(k);
      if (seen !== null) {
        const [state, seenDigest, jobId] = seen.split(':');
        if (seenDigest !== digest) {
          throw new IdempotencyMismatchError('this Idempotency-Key was used with another request body');
        }
        if (state === 'j' && jobId) return { kind: 'replay', jobId };
      }
      if (Date.now() > deadline || signal?.aborted) {
        throw new ConflictError('a request with this Idempotency-Key is still in progress; retry shortly');
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  private owner(k: string, pending: string, digest: string): IdempotencyClaim {
    return {
      kind: 'owner',
      commit: async (jobId) => {
        await this.redis.iqIdemCas(k, pending, `j:${digest}:${jobId}`, String(TTL_MS));
      },
      release: async () => {
        await this.redis.iqIdemCas(k, pending, '', '0');
      },
    };
  }
}
