import type { IncomingMessage } from 'node:http';
import { ValidationError } from '@inferq/core';

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
 * submit's CPU. The size limit is enforced by the caller (readBodyWithin);
 * past it, nothing more is kept here.
 */
export function readPlainJson(req: IncomingMessage & { body?: unknown }, limit: number, done: (err?: unknown) => void) {
  if (req.headers['transfer-encoding'] === undefined && req.headers['content-length'] === undefined) {
    req.body = undefined;
    return done();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const onData = (chunk: Buffer): void => {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  };
  const finish = (err?: unknown): void => {
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', finish);
    req.off('close', onClose);
    done(err);
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
  const first = /^[ \t\n\r]*(.?)/.exec(body)?.[1];
  if (first !== '{' && first !== '[') throw malformed();
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw malformed();
  }
}
