import { InferqConnectionError } from './errors';
import type { HttpClient } from './http';
import { sleep } from './retry';
import { parseSseStream } from './sse-parser';
import type { SseEvent } from './sse-parser';
import type { JobEvent } from './types';

export interface StreamOptions {
  /** Resume after this event id (what a previous stream's last event carried). */
  lastEventId?: string;
  signal?: AbortSignal;
  /** Reconnects in a row without a new event before giving up (default 5). */
  maxReconnects?: number;
  /** Pause before a reconnect (ms, default 250, doubling per failure in a row). */
  reconnectDelayMs?: number;
}

/**
 * GET /v1/jobs/{id}/events as typed events. A dropped connection or a stream
 * closed before `done` reconnects with Last-Event-ID, so the caller sees each
 * event once and in order; the iterator ends after `done`. Breaking out of
 * the loop closes the connection.
 */
export async function* streamJob(http: HttpClient, id: string, o: StreamOptions = {}): AsyncGenerator<JobEvent> {
  let lastId = o.lastEventId;
  let failures = 0;
  for (;;) {
    const conn = new AbortController();
    const onAbort = (): void => conn.abort(o.signal?.reason);
    o.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const headers: Record<string, string> = lastId ? { 'last-event-id': lastId } : {};
      const res = await http.send(
        'GET',
        `/v1/jobs/${encodeURIComponent(id)}/events`,
        { headers, signal: conn.signal },
        'text/event-stream',
      );
      // 204: resumed after `done`, nothing more will come.
      if (res.status === 204) return;
      if (!res.body) throw new InferqConnectionError('the event stream has no body');
      for await (const raw of parseSseStream(res.body)) {
        if (raw.id) lastId = raw.id;
        const event = toJobEvent(raw);
        if (!event) continue;
        failures = 0;
        yield event;
        if (event.type === 'done') return;
      }
    } catch (err) {
      // API errors (404, 401...) and the caller's own abort are final; a broken connection is not.
      if (o.signal?.aborted || !(err instanceof InferqConnectionError || isNetworkError(err))) throw err;
    } finally {
      o.signal?.removeEventListener('abort', onAbort);
      conn.abort();
    }
    failures++;
    if (failures > (o.maxReconnects ?? 5)) {
      throw new InferqConnectionError(`the event stream of ${id} kept ending before done (${failures} tries)`);
    }
    await sleep((o.reconnectDelayMs ?? 250) * 2 ** (failures - 1), o.signal);
  }
}

const NAMES = new Set(['status', 'token', 'done']);

/** Known events only: a server newer than this SDK may send others, which are skipped. */
function toJobEvent(raw: SseEvent): JobEvent | undefined {
  if (!NAMES.has(raw.event)) return undefined;
  return { type: raw.event, id: raw.id, data: JSON.parse(raw.data) as unknown } as JobEvent;
}

/**
 * undici's errors while reading a body: the connection broke mid-stream.
 * Duck-typed: fetch's errors may come from another realm (vm contexts), where
 * `instanceof Error` is false.
 */
function isNetworkError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: unknown; code?: unknown; cause?: { code?: unknown } };
  const code = e.code ?? e.cause?.code;
  return e.name === 'TypeError' || (typeof code === 'string' && /^(UND_ERR|ECONN|EPIPE|ETIMEDOUT)/.test(code));
}
