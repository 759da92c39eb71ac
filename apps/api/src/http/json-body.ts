import type { IncomingMessage } from 'node:http';
import { ValidationError } from '@inferq/core';
import { cutIfStillSending, tooLarge } from './body-limit';

/** JSON in UTF-8 (the default), with no charset or `charset=utf-8`: nearly every request. */
const PLAIN_JSON = /^application\/json[ \t]*(?:;[ \t]*charset="?utf-8"?[ \t]*)?$/i;

/**
 * Whether the fast reader below can take this body: plain JSON, not
 * content-encoded. Anything else (gzip, another charset, `+json` types) goes
 * through body-parser, which knows those cases.
 */
export function isPlainJson(req: IncomingMessage): boolean {
  const coding = req.headers['content-encoding'];
  if (coding !== undefined && coding.toLowerCase() !== 'identity') return false;
  return PLAIN_JSON.test(req.headers['content-type'] ?? '');
}

const malformed = () => new ValidationError('malformed JSON body', [{ path: 'body', message: 'is not valid JSON' }]);

/**
 * Reads a plain JSON body into `req.body` as express.json() would (strict: an
 * object or an array; `{}` for an empty body; undefined without one) without
 * its layers (type-is, raw-body, iconv, on-finished), which cost ~6% of a
 * submit's CPU. Over `limit` it answers 413 at once, from Content-Length or
 * as soon as the bytes received pass it; the rest is read and dropped, never
 * held (see body-limit.ts). One reader and one promise: the size is counted
 * where the chunks are kept, not by a second listener.
 */
export function readPlainJson(req: IncomingMessage & { body?: unknown }, limit: number): Promise<unknown> {
  if (Number(req.headers['content-length']) > limit) {
    cutIfStillSending(req);
    return Promise.reject(tooLarge(limit));
  }
  if (req.headers['transfer-encoding'] === undefined && req.headers['content-length'] === undefined) {
    req.body = undefined;
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => collect(req, limit, resolve, reject));
}

function collect(
  req: IncomingMessage & { body?: unknown },
  limit: number,
  resolve: (body: unknown) => void,
  reject: (err: unknown) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  // Settling twice is harmless (a promise keeps its first outcome): a 413 stays the answer.
  const finish = (err?: unknown): void => {
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', finish);
    req.off('close', onClose);
    if (err === undefined) resolve(req.body);
    else reject(err);
  };
  const onData = (chunk: Buffer): void => {
    const before = size;
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
    else if (before <= limit) {
      chunks.length = 0;
      cutIfStillSending(req);
      reject(tooLarge(limit));
    }
  };
  const onEnd = (): void => {
    if (size > limit) return finish();
    try {
      req.body = parseStrict(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8'));
      finish();
    } catch (err) {
      finish(err);
    }
  };
  // The client went away before the end of its body: nobody waits for the answer.
  const onClose = (): void => {
    if (!req.complete) finish(new ValidationError('request aborted'));
  };
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', finish);
  req.on('close', onClose);
}

/** body-parser's strict mode: only an object or an array at the top; a BOM is dropped, as its decoder does. */
function parseStrict(text: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.length === 0) return {};
  const first = body.charCodeAt(firstNonSpace(body));
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) throw malformed();
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw malformed();
  }
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

/** Index of the first character that is not JSON whitespace (a loop: a regex match allocated per body). */
function firstNonSpace(text: string): number {
  let i = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
  }
  return i;
}
