import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from './redis';
import { withPublish } from './redis';
import type { JobError, JobOutput, JobStatus, Usage } from '@inferq/core';
import { NotFoundError, redisKeys, TurnQueue } from '@inferq/core';
import type { FinishItem, FinishResult, JobStoreOptions, Scripted, StartItem, StartResult } from './job-store-types';
import { startResults } from './job-store-types';
import { byPool, poolOfJob } from './job-pools';
import type { RedisKeys } from '@inferq/core';
import { listJobs, readJobs } from './job-reads';
import { luaScript } from './lua-files';
import { decodePayload, encodePayload } from './payload-codec';
import { requestJson } from './record-codec';
import type { NewJob, StoredJob, StoredRequest } from './record-codec';
import { withLuaCommands } from './lua-commands';
import { createArgs, discardArgs, finishArgs, finishResults, startArgs } from './job-transitions';

// The scripts' text, read once from packages/store/lua (see lua-files.ts).
const START_LUA = luaScript('job-start');
const FINISH_LUA = luaScript('job-finish');
const REQUEUE_LUA = luaScript('job-requeue');
const CREATE_LUA = luaScript('job-create');
const DISCARD_LUA = luaScript('job-discard');

/** A transaction of this store's connection, with its scripts. */
type ScriptedTx = ChainableCommander & {
  iqCreate(numKeys: number, ...keysThenArgv: Array<string | Buffer>): ChainableCommander;
};

export type { FinishResult, JobStoreOptions, StartResult } from './job-store-types';
export { utcDay } from './job-store-types';

/**
 * Job records: one hash per job, a per-tenant index for listing, and every
 * status transition guarded and written atomically in Lua.
 */
export class JobStore {
  readonly keys: RedisKeys;
  private readonly redis: Scripted;
  private readonly streamMaxLen: string;
  private readonly finishes = new TurnQueue((pool: string, jobs: FinishItem[]) => this.finishMany(pool, jobs));
  private readonly starts = new TurnQueue((pool: string, jobs: StartItem[]) => this.startMany(pool, jobs));

  constructor(
    redis: RedisClient,
    private readonly opts: JobStoreOptions,
  ) {
    this.keys = redisKeys(opts.prefix);
    this.streamMaxLen = String(opts.streamMaxLen ?? 10_000);
    this.redis = withLuaCommands<Scripted>(redis, {
      iqStart: { lua: withPublish(START_LUA, redis) },
      iqFinish: { lua: withPublish(FINISH_LUA, redis) },
      iqRequeue: { numberOfKeys: 2, lua: withPublish(REQUEUE_LUA, redis) },
      iqCreate: { lua: CREATE_LUA },
      iqDiscard: { lua: DISCARD_LUA },
    });
  }

  /** The channels of these pools' job events (status changes) and streamed tokens, for a JobWatcher. */
  channels(pools: readonly string[]): { events: string[]; tokens: string[] } {
    return {
      events: pools.map((p) => this.keys.eventsChannel(p)),
      tokens: pools.map((p) => this.keys.tokensChannel(p)),
    };
  }

  /** A transaction on this store's connection, for writes that must land together with the record. */
  transaction(): ChainableCommander {
    return this.redis.multi();
  }

  /** The job with its input encoded for storage (compressed off the event loop when large): pass it to enqueue. */
  async prepare(job: NewJob): Promise<NewJob> {
    return job.payload === undefined ? { ...job, payload: await encodePayload(requestJson(job.request)) } : job;
  }

  /** Appends the writes of a new queued record to a transaction of its pool's slot. */
  appendCreate(tx: ChainableCommander, job: NewJob): ChainableCommander {
    return this.appendCreates(tx, [job]);
  }

  /** Appends the writes of new queued records of one pool to a transaction of its slot (see enqueueNewJob). */
  appendCreates(tx: ChainableCommander, jobs: readonly NewJob[]): ChainableCommander {
    // No event stream yet: the first transition opens it. A stream costs ~4.7 KB however few its entries
    // (Redis preallocates a 4 KB listpack node), more than the rest of a queued job; the SSE relay
    // stands in the `queued` status for a job that has none. One script call (lua/job-create.lua)
    // for every record, payload, index and count: a command per write cost the api ~4x the work.
    return (tx as ScriptedTx).iqCreate(...createArgs(this.keys, jobs));
  }

  /** A record alone, queued in no pool (a cache hit completes it at once). */
  async create(job: NewJob): Promise<void> {
    await this.appendCreate(this.transaction(), await this.prepare(job)).exec();
  }

  /** Jobs of the tenant not yet terminal (queued or running) over these pools: one read per pool's slot. */
  async activeCount(tenant: string, pools: readonly string[]): Promise<number> {
    const counts = await Promise.all(pools.map((pool) => this.redis.get(this.keys.tenantActive(tenant, pool))));
    return counts.reduce((sum, n) => sum + Number(n ?? 0), 0);
  }

  /** Adds pools to the set the dispatcher reads webhook outboxes of (one per pool slot). */
  async registerPools(pools: readonly string[]): Promise<void> {
    if (pools.length) await this.redis.sadd(this.keys.pools(), ...pools);
  }

  /**
   * Removes the records of an enqueue that failed, so nothing waits on a job no worker will see; a
   * job releases its tenant's active count only while its record still counts (see job-discard.lua).
   */
  async discard(jobs: ReadonlyArray<{ id: string; tenant: string }>): Promise<void> {
    const pools = byPool(jobs.map((j) => j.id));
    await Promise.all(
      [...pools].map(([pool, at]) =>
        this.redis.iqDiscard(
          ...discardArgs(
            this.keys,
            pool,
            at.flatMap((i) => jobs[i] ?? []),
          ),
        ),
      ),
    );
  }

  /** The record and its output (one round trip); the input stays where it is. */
  async get(id: string): Promise<StoredJob | undefined> {
    return (await readJobs(this.redis, this.keys, [id]))[0];
  }

  /** What the worker runs: the request's input and options, until the payload expires. */
  async input(id: string): Promise<StoredRequest | undefined> {
    const stored = await this.redis.hgetBuffer(this.keys.jobPayload(id), 'in');
    return stored ? (JSON.parse(await decodePayload(stored)) as StoredRequest) : undefined;
  }

  /** The job if it belongs to the tenant; otherwise not_found, exactly as a missing job. */
  async getForTenant(id: string, tenant: string): Promise<StoredJob> {
    const job = await this.get(id);
    if (!job || job.tenant !== tenant) throw new NotFoundError(`no job ${id}`);
    return job;
  }

  /** The tenant's jobs over these pools, newest first (see listJobs). */
  list(tenant: string, pools: readonly string[], q: { status?: JobStatus; limit: number; cursor?: string }) {
    return listJobs(this.redis, this.keys, tenant, pools, q);
  }

  /**
   * Marks the attempt running and reads the input beside it (the payload never changes before the
   * end). The starts of one pool in one event-loop turn share one script call.
   */
  async start(id: string, attempt: number, now = Date.now()): Promise<StartResult> {
    return this.starts.add(poolOfJob(id), { id, attempt, now });
  }

  private async startMany(pool: string, jobs: StartItem[]): Promise<StartResult[]> {
    return startResults(await this.redis.iqStartBuffer(...startArgs(this.keys, pool, this.streamMaxLen, jobs)));
  }

  /** `tailTokens`: text streamed but not yet in the event stream, appended as a last token event. */
  async succeed(
    id: string,
    tenant: string,
    r: { output: JobOutput; usage: Usage; ttftMs: number | null; cached?: boolean; tailTokens?: string },
  ): Promise<FinishResult> {
    const output = await encodePayload(JSON.stringify(r.output));
    const fields = ['usage', JSON.stringify(r.usage)];
    if (r.ttftMs !== null) fields.push('ttft_ms', String(r.ttftMs));
    if (r.cached) fields.push('cached', '1');
    const usage = r.cached ? { input_tokens: 0, output_tokens: 0 } : r.usage;
    const tail = r.tailTokens ? JSON.stringify({ text: r.tailTokens }) : '';
    const from: JobStatus[] = r.cached ? ['queued', 'running'] : ['running'];
    return this.finish(id, tenant, 'succeeded', from, fields, usage, tail, output);
  }

  fail(id: string, tenant: string, error: JobError, ttftMs: number | null = null, usage?: Usage) {
    const fields = ['error', JSON.stringify(error)];
    if (ttftMs !== null) fields.push('ttft_ms', String(ttftMs));
    return this.finish(id, tenant, 'failed', ['queued', 'running'], fields, usage);
  }

  cancel(id: string, tenant: string) {
    return this.finish(id, tenant, 'canceled', ['queued', 'running'], []);
  }

  async requeue(id: string, error: JobError): Promise<boolean> {
    const code = await this.redis.iqRequeue(
      this.keys.job(id),
      this.keys.jobEvents(id),
      JSON.stringify(error),
      this.keys.eventsChannel(poolOfJob(id)),
      id,
      this.streamMaxLen,
    );
    return code === 1;
  }

  private async finish(
    id: string,
    tenant: string,
    status: JobStatus,
    allowedFrom: JobStatus[],
    fields: string[],
    usage: Usage = { input_tokens: 0, output_tokens: 0 },
    tail = '',
    output: string | Buffer = '',
  ): Promise<FinishResult> {
    const item = { id, tenant, status, allowedFrom, fields, usage, tail, output, now: Date.now() };
    return this.finishes.add(poolOfJob(id), item);
  }

  /** The finishes of one pool in one event-loop turn, in one script call (see job-finish.lua). */
  private async finishMany(pool: string, jobs: FinishItem[]): Promise<FinishResult[]> {
    return finishResults(await this.redis.iqFinish(...finishArgs(this.keys, this.opts, pool, this.streamMaxLen, jobs)));
  }
}
