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

/** A stream entry id, as a client may send it back in Last-Event-ID. */
export const STREAM_ID_PATTERN = /^\d{1,20}-\d{1,20}$/;

type Scripted = RedisClient & {
  iqTokens(job: string, events: string, ...argv: string[]): Promise<number>;
};
type RawEntry = [id: string, fields: string[]];

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
   * Appends a batch of tokens of one attempt and publishes the job id, in one
   * round trip. False when the job no longer runs this attempt (canceled,
   * finished, requeued): the caller should stop generating.
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
    );
    return code === 1;
  }

  /** Whether the job's stream is still there (a finished job's goes EVENTS_RETENTION after `done`). */
  async exists(id: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.jobEvents(id))) === 1;
  }

  /** Up to `count` events after the entry `after` (from the start when undefined), oldest first. */
  read(id: string, after: string | undefined, count: number): Promise<JobEvent[]> {
    const key = `${id}|${after ?? ''}|${count}`;
    let pending = this.reads.get(key);
    if (!pending) {
      pending = this.redis
        .xrange(this.keys.jobEvents(id), after ? `(${after}` : '-', '+', 'COUNT', count)
        .then((entries) => (entries as RawEntry[]).map(toEvent))
        .finally(() => this.reads.delete(key));
      this.reads.set(key, pending);
    }
    return pending;
  }
}

function toEvent([id, fields]: RawEntry): JobEvent {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]] = fields[i + 1];
  return { id, type: (f.type ?? 'status') as JobEventType, data: f.data ?? '' };
}
