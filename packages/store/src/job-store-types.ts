import type { JobStatus, Usage } from '@inferq/core';
import { jobIdLowerBound } from '@inferq/core';
import type { RedisClient } from './redis';
import type { StoredRequest } from './record-codec';
import { decodePayload } from './payload-codec';

export interface JobStoreOptions {
  prefix: string;
  /** How long finished records are kept (ms). */
  retentionMs: number;
  /** How long daily usage counters are kept (ms); default 400 days. */
  usageRetentionMs?: number;
  /** Cap of each job's event stream (entries, approximate). */
  streamMaxLen?: number;
  /** How long a finished job keeps its input and output (ms, PAYLOAD_RETENTION); default 24 h, at most retentionMs. */
  payloadRetentionMs?: number;
  /** How long a finished job's event stream stays for late SSE readers (ms, EVENTS_RETENTION); default 60 s. */
  eventsRetentionMs?: number;
}

export type StartResult =
  | { kind: 'started'; request: StoredRequest; createdAt: number; model: string }
  /** Started, but its input is gone (a payload deleted by hand): the job cannot run. */
  | { kind: 'no_input'; model: string }
  | { kind: 'missing' }
  | { kind: 'terminal' };

/** One job of a batched finish (see JobStore.finish). */
export interface FinishItem {
  id: string;
  tenant: string;
  status: JobStatus;
  allowedFrom: JobStatus[];
  /** Extra field/value pairs for the record. */
  fields: string[];
  usage: Usage;
  /** Data of a last token event ('' for none). */
  tail: string;
  output: string | Buffer;
  now: number;
}

/** One job of a batched start. */
export interface StartItem {
  id: string;
  attempt: number;
  now: number;
}

/**
 * job-start.lua's reply, one flat array: per job its code, then when started (1) the record's req,
 * created_at and model, and the payload's input.
 */
type StartReply = Array<number | Buffer | null>;

/** The jobs' results of a job-start reply, in order. */
export function startResults(reply: StartReply): Promise<StartResult[]> {
  const results: Array<Promise<StartResult>> = [];
  for (let i = 0; i < reply.length;) {
    const code = reply[i];
    if (code !== 1) {
      results.push(Promise.resolve(code === 0 ? { kind: 'missing' } : { kind: 'terminal' }));
      i += 1;
      continue;
    }
    const [req, created, model, input] = reply.slice(i + 1, i + 5) as Array<Buffer | null>;
    results.push(startResult(req ?? null, created ?? null, model ?? null, input ?? null));
    i += 5;
  }
  return Promise.all(results);
}

async function startResult(
  req: Buffer | null,
  created: Buffer | null,
  model: Buffer | null,
  input: Buffer | null,
): Promise<StartResult> {
  const modelName = model?.toString() ?? '';
  // Records written before the payload hash existed carry the request as `req`.
  const text = req ? req.toString() : input ? await decodePayload(input) : undefined;
  if (text === undefined) return { kind: 'no_input', model: modelName };
  return { kind: 'started', request: JSON.parse(text) as StoredRequest, createdAt: Number(created), model: modelName };
}

export type FinishResult =
  | { kind: 'written'; previous: JobStatus }
  | { kind: 'missing' }
  | { kind: 'terminal'; current: JobStatus }
  | { kind: 'not_allowed'; current: JobStatus };

export type Scripted = RedisClient & {
  /** The outbox and three keys per job, then now, the events channel, the stream's max length and (id, attempt) per job. */
  iqStartBuffer(numKeys: number, ...keysThenArgv: string[]): Promise<StartReply>;
  /** The outbox, three keys per job and three per tenant, then the common ARGV and each job's entries (see job-finish.lua). */
  iqFinish(numKeys: number, ...keysThenArgv: Array<string | Buffer>): Promise<Array<number | string>>;
  iqRequeue(job: string, events: string, ...argv: string[]): Promise<number>;
  /** Five keys per job, then each job's id (see job-discard.lua); the counts released. */
  iqDiscard(numKeys: number, ...keysThenArgv: string[]): Promise<number>;
};

export const USAGE_RETENTION_MS = 400 * 86_400_000;
export const PAYLOAD_RETENTION_MS = 86_400_000;
export const EVENTS_RETENTION_MS = 60_000;

/**
 * The tenant index sheds ids of expired records on one finish in TRIM_EVERY
 * (on average): often enough to bound it, rare enough to cost next to
 * nothing per job. Listing skips and drops expired ids meanwhile.
 */
const TRIM_EVERY = 32;
export function trimBound(now: number, retentionMs: number): string {
  return Math.random() * TRIM_EVERY < 1 ? jobIdLowerBound(now - retentionMs) : '';
}

/** YYYY-MM-DD of a time, in UTC: the day usage is counted on. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
