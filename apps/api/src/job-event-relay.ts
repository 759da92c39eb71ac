import type { JobRecord } from '@inferq/core';
import { isTerminal } from '@inferq/core';
import { compareStreamIds } from '@inferq/store';
import type { JobEvent, JobEventLog, JobStore, PushedTokens } from '@inferq/store';
import type { JobWatcher } from './job-watcher';
import { replayFrames } from './record-replay';
import type { ReplayFrame } from './record-replay';
import type { StreamWriter } from './stream-result';

export interface RelayDeps {
  watcher: JobWatcher;
  events: JobEventLog;
  store: JobStore;
  /** Default HEARTBEAT_MS; tests shorten it. */
  heartbeatMs?: number;
}

/** A comment line at least this often keeps proxies and clients from timing out an idle stream (ms). */
export const HEARTBEAT_MS = 15_000;
/** Events read per XRANGE: bounds what one client holds in memory while its socket is full. */
const READ_BATCH = 64;
/** A client that takes nothing for this long while its buffer is full is dropped (ms). */
const STALL_MS = 60_000;
/** Id of the stand-in `queued` event: below any real entry id, so a client resuming after it misses none. */
const QUEUED_ID = '0-1';

/** One SSE message; `data` is JSON, but any newline still gets its own `data:` line. */
export function sseFrame(event: string, id: string, data: string): string {
  return `event: ${event}\nid: ${id}\ndata: ${data.replace(/\n/g, '\ndata: ')}\n\n`;
}

/**
 * How events become bytes on the wire: the SSE of GET /v1/jobs/{id}/events by
 * default; POST /v1/chat/completions relays the same events as chunks.
 */
export interface EventFramer {
  /** The text for a `status` or `token` event; '' writes nothing. */
  event(ev: JobEvent): string;
  /** The last text, from the job's record once terminal (null if it is gone). */
  done(record: JobRecord | null, ev: JobEvent): string;
}

export const SSE_FRAMER: EventFramer = {
  event: (ev) => sseFrame(ev.type, ev.id, ev.data),
  done: (record, ev) => sseFrame('done', ev.id, JSON.stringify(record)),
};

/**
 * Relays a job's event stream from after `from` (from the start when
 * undefined) to one SSE client, until `done`, the client leaving or the api
 * closing. It reads only when woken by the watcher (one subscriber per process)
 * and only while the client keeps up: with a full socket buffer it waits for
 * 'drain' instead of reading on, so a slow client costs one batch of memory
 * (and up to 16 carried batches, shared by the job's clients). A batch of
 * tokens whose message carries it is written without a read when the client
 * already has the entry before it: one round trip less to the first token.
 */
export async function relayJobEvents(
  deps: RelayDeps,
  id: string,
  from: string | undefined,
  out: StreamWriter,
  framer: EventFramer = SSE_FRAMER,
): Promise<void> {
  // Subscribe before the first read: a change landing in between still wakes us.
  const sub = deps.watcher.watch(id, { tokens: true });
  let after = from;
  let lastWrite = Date.now();
  const heartbeatMs = deps.heartbeatMs ?? HEARTBEAT_MS;
  // Every job starts queued, but its stream opens with its first transition (a stream costs ~4.7 KB
  // in Redis, more than the rest of a queued job): a replay from the start opens with a stand-in.
  const opening =
    from === undefined ? framer.event({ id: QUEUED_ID, type: 'status', data: '{"status":"queued"}' }) : '';
  /** Writes events in order; true when the relay is over (done written, or the client gone). */
  const deliver = async (events: JobEvent[]): Promise<boolean> => {
    for (const ev of events) {
      after = ev.id;
      if (ev.type === 'done') {
        out.write(framer.done((await deps.store.get(id))?.record ?? null, ev));
        return true;
      }
      const text = framer.event(ev);
      if (text === '') continue;
      lastWrite = Date.now();
      if (!out.write(text) && !(await drainedWithin(out, STALL_MS))) {
        out.destroy();
        return true;
      }
    }
    return false;
  };
  try {
    if (opening !== '' && !out.write(opening) && !(await drainedWithin(out, STALL_MS))) return out.destroy();
    let mustRead = true;
    for (;;) {
      if (out.signal.aborted) return;
      const news = sub.take();
      let next: JobEvent[] | null = mustRead || news.read ? null : onward(news.pushed, after);
      if (next === null) {
        const events = await deps.events.read(id, after, READ_BATCH);
        if (await deliver(events)) return;
        // A full batch (an entry may stand for two events): more may be there already.
        mustRead = events.length >= READ_BATCH;
        // Batches heard meanwhile carry on from the read, or it left before they landed: read again.
        next = onward(news.pushed, after);
        if (next === null) {
          mustRead = true;
          next = [];
        }
      }
      if (await deliver(next)) return;
      if (mustRead) continue;
      if (out.signal.aborted || deps.watcher.closed) return;
      await sub.next(heartbeatMs - (Date.now() - lastWrite), out.signal);
      if (Date.now() - lastWrite >= heartbeatMs) {
        out.write(': keep-alive\n\n');
        lastWrite = Date.now();
        // A whole heartbeat without news: a reader slower than EVENTS_RETENTION may have lost the stream.
        if (await finishedFromRecord(deps, id, after, out)) return;
      }
    }
  } finally {
    sub.stop();
  }
}

/**
 * The pushed batches past `after`, if each follows right on the entry before it, the first on
 * `after` (nothing in between that the client lacks); null when one does not.
 */
function onward(pushed: PushedTokens[], after: string | undefined): JobEvent[] | null {
  const events: JobEvent[] = [];
  let last = after;
  for (const p of pushed) {
    if (after !== undefined && compareStreamIds(p.event.id, after) <= 0) continue;
    if (p.prev !== last) return null;
    events.push(p.event);
    last = p.event.id;
  }
  return events;
}

/** Ends the relay from the record when the job is finished and its stream gone; false otherwise. */
async function finishedFromRecord(deps: RelayDeps, id: string, after: string | undefined, out: StreamWriter) {
  const job = await deps.store.get(id);
  if (!job || !isTerminal(job.record.status) || (await deps.events.exists(id))) return false;
  await writeFrames(out, replayFrames(job, after));
  return true;
}

/** Writes replay frames, waiting for a full socket to drain (the one `token` frame may be megabytes). */
export async function writeFrames(out: StreamWriter, frames: ReplayFrame[]): Promise<void> {
  for (const f of frames) {
    if (out.signal.aborted) return;
    if (!out.write(sseFrame(f.event, f.id, f.data)) && !(await drainedWithin(out, STALL_MS))) {
      out.destroy();
      return;
    }
  }
}

async function drainedWithin(out: StreamWriter, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([out.drained().then(() => !out.signal.aborted), stalled]);
  } finally {
    clearTimeout(timer);
  }
}
