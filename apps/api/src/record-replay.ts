import { compareStreamIds } from '@inferq/store';
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

/** The id of the job's `done` event: recorded at the end (records from before that use the completion time). */
export function doneIdOf(job: StoredJob): string {
  return job.doneId ?? `${Date.parse(job.record.completed_at ?? job.record.created_at)}-0`;
}

/** Frames replaying a finished job from its record, for a client that saw events up to `after` (none when undefined). */
export function replayFrames(job: StoredJob, after: string | undefined): ReplayFrame[] {
  const done = doneIdOf(job);
  if (after !== undefined && compareStreamIds(after, done) >= 0) return [];
  // Ids just below `done`'s, in the millisecond before it: they sort before it and after nothing it followed.
  const ms = BigInt(done.split('-')[0] ?? '0') - 1n;
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
