import type { StoredJob } from '@inferq/store';

/**
 * A finished job's event stream is kept only EVENTS_RETENTION after `done`
 * (60 s by default) for late SSE readers; the record holds everything a
 * replay needs after that. These frames stand in for the stream: the final
 * `status`, the whole output as one `token` (unless the client is resuming,
 * or the payload expired) and `done` with the record, under the id the real
 * `done` had, so a client that saw it gets 204 on reconnecting.
 */
export interface ReplayFrame {
  event: 'status' | 'token' | 'done';
  id: string;
  data: string;
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

/** The id of the job's `done` event: recorded at the end (records from before that use the completion time). */
export function doneIdOf(job: StoredJob): string {
  return job.doneId ?? `${Date.parse(job.record.completed_at ?? job.record.created_at)}-0`;
}

/** Frames replaying a finished job from its record, for a client that saw events up to `after` (none when undefined). */
export function replayFrames(job: StoredJob, after: string | undefined): ReplayFrame[] {
  const done = doneIdOf(job);
  if (after !== undefined && compareStreamIds(after, done) >= 0) return [];
  // Ids just below `done`'s, in the millisecond before it: they sort before it and after nothing it followed.
  const ms = parts(done)[0] - 1n;
  const frames: ReplayFrame[] = [
    { event: 'status', id: `${ms}-0`, data: JSON.stringify({ status: job.record.status }) },
  ];
  const text = job.record.output?.text ?? '';
  // A resuming client may have seen part of the text already: it gets the whole output in `done` instead.
  if (after === undefined && text !== '')
    frames.push({ event: 'token', id: `${ms}-1`, data: JSON.stringify({ text }) });
  frames.push({ event: 'done', id: done, data: JSON.stringify(job.record) });
  return frames;
}
