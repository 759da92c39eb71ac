import type { RedisClient as Redis } from './redis';
import { redisKeys } from '@inferq/core';
import type { BatchObject, BatchStatus, RedisKeys } from '@inferq/core';
import { luaScript } from './lua-files';
import { decodeBatch, encodeNewBatch } from './batch-codec';
import type { BatchState, NewBatch } from './batch-codec';
import { pageIndex } from './id-index';
import type { IndexPage } from './id-index';
import { withLuaCommands } from './lua-commands';

// The scripts' text, read once from packages/store/lua (see lua-files.ts).
const BATCH_CANCEL_LUA = luaScript('batch-cancel');

type Scripted = Redis & {
  iqBatchCancel(batch: string, now: string): Promise<[number, string]>;
};

export type CancelResult = { kind: 'cancelling' } | { kind: 'missing' } | { kind: 'too_late'; status: BatchStatus };

/** Member of the active-batches zset: `<tenant>/<batch id>` (tenants have no `/`). */
export function activeMember(tenant: string, id: string): string {
  return `${tenant}/${id}`;
}

/**
 * Batches as the HTTP routes see them: create, read, list, cancel. The
 * runner's side (lease, feed, results) is BatchRunStore.
 */
export class BatchStore {
  readonly keys: RedisKeys;
  private readonly redis: Scripted;

  constructor(redis: Redis, prefix: string) {
    this.keys = redisKeys(prefix);
    this.redis = withLuaCommands<Scripted>(redis, { iqBatchCancel: { numberOfKeys: 1, lua: BATCH_CANCEL_LUA } });
  }

  /**
   * Registers the batch with the runners first, then writes it: a crash in
   * between leaves an entry without a batch, which a runner drops, never a
   * batch that no runner would find.
   */
  async create(b: NewBatch): Promise<BatchObject> {
    await this.redis.zadd(this.keys.activeBatches(), b.createdMs, activeMember(b.tenant, b.id));
    const fields = encodeNewBatch(b);
    await this.redis
      .multi()
      .hset(this.keys.batch(b.tenant, b.id), ...fields)
      .zadd(this.keys.tenantBatches(b.tenant), 0, b.id)
      .exec();
    return this.toState(fields).object;
  }

  async get(tenant: string, id: string): Promise<BatchState | undefined> {
    const h = await this.redis.hgetall(this.keys.batch(tenant, id));
    return h.id ? decodeBatch(h) : undefined;
  }

  async list(tenant: string, q: { limit: number; after?: string }): Promise<IndexPage<BatchObject>> {
    return pageIndex(this.redis, this.keys.tenantBatches(tenant), q, async (ids) => {
      const pipe = this.redis.pipeline();
      for (const id of ids) pipe.hgetall(this.keys.batch(tenant, id));
      const rows = (await pipe.exec()) ?? [];
      return rows.map(([, h]) => {
        const m = h as Record<string, string> | undefined;
        return m?.id ? decodeBatch(m).object : undefined;
      });
    });
  }

  async cancel(tenant: string, id: string, now = Date.now()): Promise<CancelResult> {
    const [code, status] = await this.redis.iqBatchCancel(this.keys.batch(tenant, id), String(now));
    if (code === 1) return { kind: 'cancelling' };
    if (code === 0) return { kind: 'missing' };
    return { kind: 'too_late', status: status as BatchStatus };
  }

  private toState(fields: string[]): BatchState {
    const h: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) h[fields[i]] = fields[i + 1]!;
    return decodeBatch(h);
  }
}
