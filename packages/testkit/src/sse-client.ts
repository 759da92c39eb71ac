import { parseSse } from './parse-sse';
import type { SseMessage } from './parse-sse';

export interface TimedSseMessage extends SseMessage {
  /** Date.now() when the message was complete on the client. */
  at: number;
}

export interface SseStream {
  status: number;
  headers: Headers;
  /** Messages so far, in order; complete once `ended` resolves. */
  messages: TimedSseMessage[];
  /** Comment lines (keep-alives) seen so far. */
  comments: number;
  /** Resolves when the server ends the stream (or the request is aborted). */
  ended: Promise<void>;
  /** Resolves with the first message matching, as it arrives. */
  waitFor(match: (m: TimedSseMessage) => boolean, timeoutMs?: number): Promise<TimedSseMessage>;
  /** Drops the connection, as a client that goes away. */
  close(): void;
}

/**
 * Opens an SSE response with fetch and parses it incrementally, stamping each
 * message with its arrival time, so tests can tell streamed from buffered.
 */
export async function openSse(url: string, headers: Record<string, string>): Promise<SseStream> {
  const ac = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: ac.signal });
  const messages: TimedSseMessage[] = [];
  const listeners = new Set<() => void>();
  let comments = 0;
  let buffer = '';
  const take = (chunk: string): void => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end + 2);
      buffer = buffer.slice(end + 2);
      if (block.split('\n').every((l) => l === '' || l.startsWith(':'))) comments++;
      for (const m of parseSse(block)) messages.push({ ...m, at: Date.now() });
    }
    listeners.forEach((l) => l());
  };
  const ended = (async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body) take(decoder.decode(chunk as Uint8Array, { stream: true }));
    } catch (err) {
      if (!ac.signal.aborted) throw err;
    }
  })();
  const stream: SseStream = {
    status: res.status,
    headers: res.headers,
    messages,
    get comments() {
      return comments;
    },
    ended,
    waitFor(match, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const m = messages.find(match);
          if (!m) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(m);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no matching SSE message within ${timeoutMs} ms; got ${JSON.stringify(messages)}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    close: () => ac.abort(),
  };
  return stream;
}
