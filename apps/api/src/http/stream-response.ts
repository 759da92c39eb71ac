import type { Response } from 'express';
import type { StreamResult, StreamWriter } from '../stream-result';

/**
 * Sends a streaming result over Express: headers at once (so the client
 * knows the stream is open before the first event), then whatever the
 * handler writes, then the end. Backpressure is the socket's own: `write`
 * reports a full buffer and `drained` waits for it to empty.
 */
export async function sendStream(res: Response, result: StreamResult, signal: AbortSignal): Promise<void> {
  res.status(result.status).set(result.headers);
  res.flushHeaders();
  const writer: StreamWriter = {
    signal,
    write: (chunk) => !res.destroyed && res.write(chunk),
    drained: () => drained(res),
    destroy: () => res.destroy(),
  };
  try {
    await result.stream(writer);
  } finally {
    if (!res.destroyed) res.end();
  }
}

function drained(res: Response): Promise<void> {
  if (!res.writableNeedDrain || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}
