import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export function startSse(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...headers,
  });
  // Send the headers now, as real providers do, before the first token.
  res.flushHeaders();
}

/** One SSE message; `event` is omitted for OpenAI, which sends bare `data:` lines. */
export function writeSse(res: ServerResponse, data: unknown, event?: string): void {
  if (res.destroyed || res.writableEnded) return;
  const payload = typeof data === 'string' ? data : JSON.stringify(data);
  res.write(`${event ? `event: ${event}\n` : ''}data: ${payload}\n\n`);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/**
 * Emits tokens on the behaviour's clock: the first after ttftMs, each other
 * after tokenMs. A zero delay does not sleep. Rejects with an AbortError when
 * the signal fires (the client went away or the fake closed).
 */
export async function pace(
  tokens: string[],
  ttftMs: number,
  tokenMs: number,
  signal: AbortSignal,
  emit: (token: string) => void,
): Promise<void> {
  if (tokens.length === 0 && ttftMs > 0) await sleep(ttftMs, undefined, { signal });
  for (let i = 0; i < tokens.length; i++) {
    const ms = i === 0 ? ttftMs : tokenMs;
    if (ms > 0) await sleep(ms, undefined, { signal });
    signal.throwIfAborted();
    emit(tokens[i]);
  }
}
