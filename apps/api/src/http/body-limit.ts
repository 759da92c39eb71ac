import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';
import { PayloadTooLargeError } from '@inferq/core';

/**
 * After a 413 the rest of the body is read and dropped (never held) for this
 * long, so the client, still sending, reads the answer instead of a reset
 * connection; then the connection is cut (ms).
 */
const LINGER_MS = 2000;

export const tooLarge = (limit: number) => new PayloadTooLargeError(`request body is larger than ${limit} bytes`);

/** Cuts the connection if the client is still sending its body LINGER_MS after we gave up on it. */
export function cutIfStillSending(req: IncomingMessage): void {
  if (req.complete) return;
  const timer = setTimeout(() => req.socket.destroy(), LINGER_MS);
  timer.unref();
  req.once('end', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
}

/**
 * Reads a body through `parse` (body-parser, which enforces `limit` on the
 * decoded bytes and parses what fits) and answers 413 as soon as the body is
 * known to be over the limit: at once from Content-Length, otherwise when the
 * bytes received pass it, without waiting for the rest (body-parser would
 * read an oversized body to its end first). Nothing beyond the limit is held.
 */
export function readBodyWithin(
  req: Request,
  limit: number,
  parse: (done: (err?: unknown) => void) => void,
): Promise<void> {
  if (Number(req.headers['content-length']) > limit) {
    cutIfStillSending(req);
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    let received = 0;
    const count = (chunk: Buffer): void => {
      received += chunk.length;
      if (received <= limit) return;
      req.off('data', count);
      cutIfStillSending(req);
      reject(tooLarge(limit));
    };
    // Attached in the same turn as body-parser's own listener: both see every chunk.
    req.on('data', count);
    parse((err) => {
      req.off('data', count);
      if (err === undefined) resolve();
      else reject(err);
    });
  });
}
