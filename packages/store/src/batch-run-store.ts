import type { RedisClient as Redis } from './redis';
import { redisKeys } from '@inferq/core';
import type { BatchLineError, BatchStatus, RedisKeys } from '@inferq/core';
import { luaScript } from './lua-files';
import { activeMember } from './batch-store';
import { withLuaCommands } from './lua-commands';

// The scripts' text, read once from packages/store/lua (see lua-files.ts).
const BATCH_LEASE_LUA = luaScript('batch-lease');
const BATCH_RELEASE_LUA = luaScript('batch-release');
const BATCH_APPEND_REQUESTS_LUA = luaScript('batch-append-requests');
const BATCH_VALIDATED_LUA = luaScript('batch-validated');
const BATCH_CLAIM_LUA = luaScript('batch-claim');
const BATCH_RECORD_LUA = luaScript('batch-record');
const BATCH_EXPIRE_LUA = luaScript('batch-expire');
const BATCH_FINALIZE_LUA = luaScript('batch-finalize');

type Script = (...args: string[]) => Promise<number>;
type Scripted = Redis & {
  iqBatchLease: Script;
  iqBatchRelease: Script;
  iqBatchAppend: Script;
  iqBatchValidated: Script;
  iqBatchClaim: Script;
  iqBatchRecord: Script;
  iqBatchExpire: Script;
  iqBatchFinalize(...args: string[]): Promise<[number, string]>;
};

/** A result to record: c completed (output file), f failed (error file, counted), x not run (error file). */
export interface BatchResult {
  index: number;
  kind: 'c' | 'f' | 'x';
  /** The output or error file line, with its newline. */
  line: string;
}

export interface BatchRef {
  tenant: string;
  id: string;
}

/** Outcomes of the fenced steps: done, or why not. */
export type Fenced = 'ok' | 'lease_lost' | 'wrong_state';

const fenced = (code: number): Fenced => (code >= 0 ? 'ok' : code === -1 ? 'lease_lost' : 'wrong_state');

/**
 * The batch runner's Redis: leases, validated requests, the feed position,
 * results and the end of a batch. Every step that moves a batch on is fenced
 * by the lease (see lua/includes/batch-terminal.lua); recording results is idempotent instead.
 */
export class BatchRunStore {
  readonly keys: RedisKeys;
  private readonly redis: Scripted;

  constructor(
    redis: Redis,
    prefix: string,
    /** How long ended batches and their files are kept (ms). */
    private readonly retentionMs: number,
  ) {
    this.keys = redisKeys(prefix);
    this.redis = withLuaCommands<Scripted>(redis, {
      iqBatchLease: { numberOfKeys: 1, lua: BATCH_LEASE_LUA },
      iqBatchRelease: { numberOfKeys: 1, lua: BATCH_RELEASE_LUA },
      iqBatchAppend: { numberOfKeys: 2, lua: BATCH_APPEND_REQUESTS_LUA },
      iqBatchValidated: { numberOfKeys: 2, lua: BATCH_VALIDATED_LUA },
      iqBatchClaim: { numberOfKeys: 4, lua: BATCH_CLAIM_LUA },
      iqBatchRecord: { numberOfKeys: 6, lua: BATCH_RECORD_LUA },
      iqBatchExpire: { numberOfKeys: 1, lua: BATCH_EXPIRE_LUA },
      iqBatchFinalize: { numberOfKeys: 9, lua: BATCH_FINALIZE_LUA },
    });
  }

  /** Every batch not yet ended, oldest first. */
  async active(): Promise<Array<BatchRef & { createdMs: number }>> {
    const flat = await this.redis.zrange(this.keys.activeBatches(), 0, -1, 'WITHSCORES');
    const out: Array<BatchRef & { createdMs: number }> = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const member = flat[i];
      const slash = member.indexOf('/');
      out.push({ tenant: member.slice(0, slash), id: member.slice(slash + 1), createdMs: Number(flat[i + 1]) });
    }
    return out;
  }

  async removeActive(b: BatchRef): Promise<void> {
    await this.redis.zrem(this.keys.activeBatches(), activeMember(b.tenant, b.id));
  }

  /** Statuses of the active batches (metrics). */
  async activeStatuses(): Promise<BatchStatus[]> {
    const refs = await this.active();
    if (refs.length === 0) return [];
    // Batches of different tenants sit in different cluster slots: one command each, sent together.
    const rows = await Promise.all(refs.map((r) => this.redis.hget(this.keys.batch(r.tenant, r.id), 'status')));
    return rows.filter((s): s is BatchStatus => s !== null);
  }

  /** 1 held, 0 another holds it, -1 the batch ended, -2 no such batch. */
  lease(b: BatchRef, owner: string, leaseMs: number, now = Date.now()): Promise<number> {
    return this.redis.iqBatchLease(this.keys.batch(b.tenant, b.id), owner, String(now), String(leaseMs));
  }

  async release(b: BatchRef, owner: string): Promise<void> {
    await this.redis.iqBatchRelease(this.keys.batch(b.tenant, b.id), owner);
  }

  /** Appends validated requests at `start` (0 starts the list over). */
  async appendRequests(b: BatchRef, owner: string, start: number, entries: string[]): Promise<Fenced> {
    const keys = [this.keys.batch(b.tenant, b.id), this.keys.batchRequests(b.tenant, b.id)];
    return fenced(await this.redis.iqBatchAppend(...keys, owner, String(start), ...entries));
  }

  /** Validation ended: failed with `errors`, or in progress with `total` requests. */
  async validated(b: BatchRef, owner: string, total: number, errors: BatchLineError[], now = Date.now()) {
    const keys = [this.keys.batch(b.tenant, b.id), this.keys.batchRequests(b.tenant, b.id)];
    const errorsJson = errors.length ? JSON.stringify(errors) : '';
    const code = await this.redis.iqBatchValidated(
      ...keys,
      owner,
      String(now),
      String(total),
      errorsJson,
      String(this.retentionMs),
    );
    return fenced(code);
  }

  /** The validated requests [from, to) as stored. */
  requests(b: BatchRef, from: number, to: number): Promise<string[]> {
    return this.redis.lrange(this.keys.batchRequests(b.tenant, b.id), from, to - 1);
  }

  /** Which of these jobs exist (a record in the job store). */
  async jobsExist(ids: string[]): Promise<boolean[]> {
    // A batch's jobs may sit in several pools' slots: one command each, sent together.
    const rows = await Promise.all(ids.map((id) => this.redis.exists(this.keys.job(id))));
    return rows.map((n) => n === 1);
  }

  async claim(b: BatchRef, owner: string, from: number, to: number): Promise<Fenced> {
    const keys = this.runKeys(b).slice(0, 4);
    return fenced(await this.redis.iqBatchClaim(...keys, owner, String(from), String(to)));
  }

  /** Writes each result unless its request has one already; returns how many were new. */
  async record(b: BatchRef, outputFileId: string, errorFileId: string, results: BatchResult[]): Promise<number> {
    if (results.length === 0) return 0;
    const keys = [
      ...this.runKeys(b).slice(0, 4),
      this.keys.fileChunks(b.tenant, outputFileId),
      this.keys.fileChunks(b.tenant, errorFileId),
    ];
    const argv = results.flatMap((r) => [String(r.index), r.kind, r.line]);
    return this.redis.iqBatchRecord(...keys, ...argv);
  }

  /** Request indexes whose job exists and whose result is not recorded yet. */
  async pending(b: BatchRef): Promise<number[]> {
    return (await this.redis.smembers(this.keys.batchPending(b.tenant, b.id))).map(Number);
  }

  /** Which of these request indexes have their result. */
  async recorded(b: BatchRef, indexes: number[]): Promise<boolean[]> {
    if (indexes.length === 0) return [];
    const rows = await this.redis.hmget(this.keys.batchLines(b.tenant, b.id), ...indexes.map(String));
    return rows.map((r) => r !== null);
  }

  async expire(b: BatchRef, owner: string, now = Date.now()): Promise<Fenced> {
    return fenced(await this.redis.iqBatchExpire(this.keys.batch(b.tenant, b.id), owner, String(now)));
  }

  /** Ends the batch once every request has its result: the final status, or why not. */
  async finalize(b: BatchRef, owner: string, outputFileId: string, errorFileId: string, now = Date.now()) {
    const keys = [
      ...this.runKeys(b).slice(0, 3),
      this.keys.batchRequests(b.tenant, b.id),
      this.keys.fileMeta(b.tenant, outputFileId),
      this.keys.fileChunks(b.tenant, outputFileId),
      this.keys.fileMeta(b.tenant, errorFileId),
      this.keys.fileChunks(b.tenant, errorFileId),
      this.keys.tenantFiles(b.tenant),
    ];
    const [code, status] = await this.redis.iqBatchFinalize(...keys, owner, String(now), String(this.retentionMs));
    if (code === 1) return { kind: 'ended' as const, status: status as BatchStatus };
    if (code === -3) return { kind: 'incomplete' as const };
    return { kind: code === -1 ? ('lease_lost' as const) : ('ended_before' as const) };
  }

  /** Batch hash, results hash, pending set, the tenant's outstanding counter. */
  private runKeys(b: BatchRef): string[] {
    return [
      this.keys.batch(b.tenant, b.id),
      this.keys.batchLines(b.tenant, b.id),
      this.keys.batchPending(b.tenant, b.id),
      this.keys.batchOutstanding(b.tenant),
    ];
  }
}
