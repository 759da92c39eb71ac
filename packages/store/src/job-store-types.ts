import type { JobStatus } from '@inferq/core';
import { jobIdLowerBound } from '@inferq/core';
import type { RedisClient } from './redis';
import type { StoredRequest } from './record-codec';

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

export type FinishResult =
  | { kind: 'written'; previous: JobStatus }
  | { kind: 'missing' }
  | { kind: 'terminal'; current: JobStatus }
  | { kind: 'not_allowed'; current: JobStatus };

export type Scripted = RedisClient & {
  iqStart(job: string, events: string, outbox: string, ...argv: string[]): Promise<[number, string?, string?, string?]>;
  iqFinish(
    job: string,
    events: string,
    index: string,
    active: string,
    usage: string,
    outbox: string,
    payload: string,
    ...argv: Array<string | Buffer>
  ): Promise<[number, string]>;
  iqRequeue(job: string, events: string, ...argv: string[]): Promise<number>;
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
