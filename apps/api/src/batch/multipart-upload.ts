import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import busboy from 'busboy';
import { PayloadTooLargeError, ValidationError } from '@inferq/core';

/** Text handed to the sink at a time (characters): the size of a stored chunk. */
const CHUNK_CHARS = 512 * 1024;

export interface UploadLimits {
  /** Largest file (bytes). */
  maxBytes: number;
  /** Most non-blank lines. */
  maxLines: number;
}

export interface ReceivedUpload {
  purpose: string | undefined;
  filename: string | undefined;
  bytes: number;
  lines: number;
}

/** Counts non-blank lines across buffers without decoding them. */
class LineCounter {
  lines = 0;
  private inLine = false;

  add(buf: Buffer): void {
    let i = 0;
    while (i < buf.length) {
      if (!this.inLine) {
        const b = buf[i];
        if (b === 10 || b === 32 || b === 9 || b === 13) {
          i++;
          continue;
        }
        this.inLine = true;
        this.lines++;
      }
      const nl = buf.indexOf(10, i);
      if (nl < 0) return;
      this.inLine = false;
      i = nl + 1;
    }
  }
}

/**
 * Reads a multipart/form-data body as it arrives (busboy): the `file` part
 * goes to `sink` in chunks of text, with the socket paused while a chunk is
 * written (backpressure), so at most one chunk is held in memory; the
 * `purpose` field is kept. Past `maxBytes` or `maxLines` it stops with 413 /
 * 400 and drains the rest unread. Resolves once the whole body was read.
 */
export function receiveUpload(
  stream: Readable,
  headers: IncomingHttpHeaders,
  limits: UploadLimits,
  sink: (chunk: string) => Promise<void>,
): Promise<ReceivedUpload> {
  let bb: busboy.Busboy;
  try {
    bb = busboy({
      headers,
      limits: { fileSize: limits.maxBytes, files: 1, fields: 8, fieldSize: 1024, parts: 12, headerPairs: 20 },
    });
  } catch (err) {
    return Promise.reject(new ValidationError(`malformed multipart body: ${(err as Error).message}`));
  }
  return new Promise((resolve, reject) => {
    let purpose: string | undefined;
    let file: Promise<Omit<ReceivedUpload, 'purpose'>> | undefined;
    let settled = false;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      reject(err);
    };
    bb.on('field', (name, value) => {
      if (name === 'purpose') purpose = value;
    });
    bb.on('file', (name, part, info) => {
      if (name !== 'file' || file) return void part.resume();
      file = consume(part, limits, sink).then((stats) => ({ ...stats, filename: info.filename }));
      file.catch(fail);
    });
    bb.on('error', (err) => fail(new ValidationError(`malformed multipart body: ${(err as Error).message}`)));
    bb.on('close', () => {
      if (!file)
        return fail(
          new ValidationError('no file: send the file as the multipart part "file"', [
            { path: 'file', message: 'required' },
          ]),
        );
      file.then((stats) => {
        if (settled) return;
        settled = true;
        resolve({ ...stats, purpose });
      }, fail);
    });
    stream.pipe(bb);
  });
}

/** Reads one file part into the sink; rejects (and drains the rest) past a limit or on a sink failure. */
function consume(
  part: Readable & { truncated?: boolean },
  limits: UploadLimits,
  sink: (chunk: string) => Promise<void>,
): Promise<{ bytes: number; lines: number }> {
  return new Promise((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    const counter = new LineCounter();
    let text = '';
    let bytes = 0;
    let failed: unknown;
    const stop = (err: unknown): void => {
      failed ??= err;
      part.resume(); // drain what is left, unread
    };
    part.on('data', (buf: Buffer) => {
      if (failed) return;
      bytes += buf.length;
      counter.add(buf);
      if (counter.lines > limits.maxLines) {
        return stop(
          new ValidationError(`the file has more than ${limits.maxLines} lines`, [
            { path: 'file', message: `at most ${limits.maxLines} lines` },
          ]),
        );
      }
      text += decoder.write(buf);
      if (text.length < CHUNK_CHARS) return;
      const chunk = text;
      text = '';
      part.pause();
      sink(chunk).then(() => part.resume(), stop);
    });
    part.on('limit', () =>
      stop(new PayloadTooLargeError(`the file is larger than ${limits.maxBytes} bytes (MAX_BATCH_FILE_BYTES)`)),
    );
    part.on('error', stop);
    part.on('end', () => {
      if (failed) return reject(failed);
      const rest = text + decoder.end();
      (rest ? sink(rest) : Promise.resolve()).then(() => resolve({ bytes, lines: counter.lines }), reject);
    });
  });
}
