import type { JobIdParams } from '@inferq/core';
import { isTerminal, ValidationError } from '@inferq/core';
import { JobEventLog, STREAM_ID_PATTERN } from '@inferq/store';
import type { ApiDeps } from '../deps';
import { relayJobEvents, writeFrames } from '../job-event-relay';
import { replayFrames } from '../record-replay';
import type { HandlerContext, RouteResult } from '../route';
import { readOwnJob } from './job-access';

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  // nginx and friends buffer responses unless told not to.
  'X-Accel-Buffering': 'no',
};

/**
 * GET /v1/jobs/{id}/events: the job's `status`, `token` and `done` events as
 * SSE, each with the stream entry id as `id:`. `Last-Event-ID` resumes after
 * that event; without it the stream replays from the start, so a client that
 * connects after the end gets every event and `done`. Once the stream is gone
 * (EVENTS_RETENTION after the end) the replay comes from the record: the
 * final `status`, the output as one `token`, and `done` (record-replay.ts).
 */
export function jobEventsHandler(deps: ApiDeps) {
  const events = new JobEventLog(deps.redis, { prefix: deps.config.QUEUE_PREFIX });
  const relay = { watcher: deps.watcher, events, store: deps.store };
  return async (ctx: HandlerContext<JobIdParams>): Promise<RouteResult> => {
    const job = await readOwnJob(deps.store, ctx.params.id, ctx.tenant);
    const { record } = job;
    const from = lastEventId(ctx.headers['last-event-id']);
    // A finished job's stream is dropped EVENTS_RETENTION after the end: replay from the record then.
    if (isTerminal(record.status) && !(await events.exists(record.id))) {
      const frames = replayFrames(job, from);
      if (frames.length === 0) return { status: 204, body: undefined };
      return { status: 200, headers: SSE_HEADERS, stream: (out) => writeFrames(out, frames) };
    }
    // EventSource reconnects whenever a stream ends; once it has seen `done`, 204 makes it stop.
    if (from && isTerminal(record.status) && (await events.read(record.id, from, 1)).length === 0) {
      return { status: 204, body: undefined };
    }
    return { status: 200, headers: SSE_HEADERS, stream: (out) => relayJobEvents(relay, record.id, from, out) };
  };
}

function lastEventId(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return undefined;
  if (!STREAM_ID_PATTERN.test(value.trim())) {
    throw new ValidationError('Last-Event-ID must be the id of an event of this stream', [
      { path: 'headers.last-event-id', message: 'expected an event id such as 1718000000000-0' },
    ]);
  }
  return value.trim();
}
