import { poolOfJob } from './job-pools';
import type { RedisClient } from './redis';
import { withPublish } from './redis';
import { redisKeys } from '@inferq/core';
import type { RedisKeys } from '@inferq/core';
import { luaScript } from './lua-files';
import { withLuaCommands } from './lua-commands';

// The scripts' text, read once from packages/store/lua (see lua-files.ts).
const TOKENS_LUA = luaScript('job-tokens');

/** Kinds of entries in a job's event stream (SSE event names; never rename). */
export type JobEventType = 'status' | 'token' | 'done';

/** One entry of a job's event stream; `id` is the Redis stream entry id (the SSE `id:`). */
export interface JobEvent {
  id: string;
  type: JobEventType;
  /** JSON text: `{"status"}` or `{"text"}`; '' for done. */
  data: string;
}

export interface JobEventLogOptions {
  prefix: string;
  /** Cap of each job's event stream (entries, approximate); the same as the JobStore's. */
  streamMaxLen?: number;
}

/**
 * The largest token batch (bytes of its event data) whose tokens-channel message carries the entry
 * itself (job-tokens.lua): pub/sub copies every message to every api of the pool, so bigger batches
 * publish the bare job id and relays read them from the stream.
 */
export const INLINE_TOKENS_MAX = 4096;

/** A stream entry id, as a client may send it back in Last-Event-ID. */
export const STREAM_ID_PATTERN = /^\d{1,20}-\d{1,20}$/;

const INLINE_MAX_ARG = String(INLINE_TOKENS_MAX);

type Scripted = RedisClient & {
  iqTokens(job: string, events: string, ...argv: string[]): Promise<number>;
};
/** An entry as XRANGE returns it. */
export type RawEntry = [id: string, fields: string[]];

/**
 * The per-job event stream beyond status changes (which the JobStore's
 * transition scripts write): streamed tokens from the worker, and reads for
 * the api's SSE relay.
 */
export class JobEventLog {
  readonly keys: RedisKeys;
  private readonly redis: Scripted;
  private readonly streamMaxLen: string;
  /** Identical reads in flight (many clients on one job wake together): one XRANGE serves them all. */
  private readonly reads = new Map<string, Promise<JobEvent[]>>();

  constructor(redis: RedisClient, opts: JobEventLogOptions) {
    this.keys = redisKeys(opts.prefix);
    this.streamMaxLen = String(opts.streamMaxLen ?? 10_000);
    this.redis = withLuaCommands<Scripted>(redis, {
      iqTokens: { numberOfKeys: 2, lua: withPublish(TOKENS_LUA, redis) },
    });
  }

  /**
   * Appends a batch of tokens of one attempt and publishes the job id (with
   * the entry, up to INLINE_TOKENS_MAX bytes), in one round trip. False when
   * the job no longer runs this attempt (canceled, finished, requeued): the
   * caller should stop generating.
   */
  async appendTokens(id: string, attempt: number, text: string, ttftMs: number | null): Promise<boolean> {
    const code = await this.redis.iqTokens(
      this.keys.job(id),
      this.keys.jobEvents(id),
      String(attempt),
      JSON.stringify({ text }),
      this.keys.tokensChannel(poolOfJob(id)),
      id,
      this.streamMaxLen,
      ttftMs === null ? '' : String(Math.round(ttftMs)),
      INLINE_MAX_ARG,
    );
    return code === 1;
  }

  /** Whether the job's stream is still there (a finished job's goes EVENTS_RETENTION after `done`). */
  async exists(id: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.jobEvents(id))) === 1;
  }

  /**
   * The events after the one with id `after` (from the start when undefined),
   * oldest first: at least `count` while more remain. The stream's last entry
   * stands for up to three events, under its id and the next two (see
   * eventsOfEntry), so a read after an event starts two sequence numbers
   * below it, at the entry that may hold it, and drops what came before.
   */
  read(id: string, after: string | undefined, count: number): Promise<JobEvent[]> {
    const key = `${id}|${after ?? ''}|${count}`;
    let pending = this.reads.get(key);
    if (!pending) {
      const start = after === undefined ? '-' : holderFrom(after);
      pending = this.redis
        .xrange(this.keys.jobEvents(id), start, '+', 'COUNT', after === undefined ? count : count + EXTRA + 1)
        .then((entries) => eventsAfter((entries as RawEntry[]).flatMap(eventsOfEntry), after))
        .finally(() => this.reads.delete(key));
      this.reads.set(key, pending);
    }
    return pending;
  }
}

/**
 * Events one entry may stand for beyond its first (eventsOfEntry): a read after an event starts this
 * many sequence numbers below it, and reads up to this many entries more, and the one at `after`.
 */
const EXTRA = 2;

/** The lowest id of an entry that may hold the event `after`. */
function holderFrom(after: string): string {
  const [ms, seq] = parts(after);
  return `${ms}-${seq > BigInt(EXTRA) ? seq - BigInt(EXTRA) : 0n}`;
}

function eventsAfter(events: JobEvent[], after: string | undefined): JobEvent[] {
  return after === undefined ? events : events.filter((e) => compareStreamIds(e.id, after) > 0);
}

/**
 * The SSE events one stream entry stands for. The terminal write appends the
 * attempt's last tokens, the final status and the end as one entry, `type
 * done` with the status as its data and the tokens, if any, as `tokens`
 * (job-finish.lua): that is `token`, `status` and `done` under the entry's id
 * and the next sequence numbers, which no entry takes (nothing is appended
 * after the end); the record keeps the last as `done_id`. A `done` without
 * data (written before this shape, or by an older worker) follows `status`
 * and `token` entries of its own.
 */
export function eventsOfEntry([id, fields]: RawEntry): JobEvent[] {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]] = fields[i + 1];
  const type = (f.type ?? 'status') as JobEventType;
  const data = f.data ?? '';
  if (type !== 'done' || data === '') return [{ id, type, data }];
  const [ms, seq] = parts(id);
  const events: Array<Omit<JobEvent, 'id'>> = [
    { type: 'status', data },
    { type: 'done', data: '' },
  ];
  if (f.tokens) events.unshift({ type: 'token', data: f.tokens });
  return events.map((e, i) => ({ id: `${ms}-${seq + BigInt(i)}`, ...e }));
}

/** Stream ids as [ms, seq], compared as numbers (seq may pass 2^53). */
function parts(id: string): [bigint, bigint] {
  const [ms = '0', seq = '0'] = id.split('-');
  return [BigInt(ms), BigInt(seq)];
}

/** Negative, zero or positive as stream id `a` is before, equal to or after `b`. */
export function compareStreamIds(a: string, b: string): number {
  const [am, as] = parts(a);
  const [bm, bs] = parts(b);
  if (am !== bm) return am < bm ? -1 : 1;
  return as === bs ? 0 : as < bs ? -1 : 1;
}
