import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, brotliDecompress, brotliDecompressSync, constants } from 'node:zlib';
import type { BrotliOptions } from 'node:zlib';

/**
 * How a job's input and output (JSON texts) are stored: as they are up to
 * COMPRESS_ABOVE_BYTES, brotli-compressed above. Brotli at quality 2 won the
 * measurement in bench/src/compression.bench.ts (docs/BENCHMARKS.md): on
 * prose, code and chat JSON it keeps 26% of 100 KB and 18% of 1 MB for about
 * 5-7 µs of CPU per KB, where gzip at level 1 keeps 28% and 27% for 8-10 µs
 * per KB; decompression costs about 2 µs per KB with either.
 */
export const COMPRESS_ABOVE_BYTES = 1024;
export const BROTLI_QUALITY = 2;
/** Above this size the work runs on libuv's thread pool, not the event loop (bytes; ~0.4 ms of CPU). */
const OFF_LOOP_BYTES = 64 * 1024;
/** First byte of a compressed value. Stored JSON texts start with `{`, so the two never mix. */
const BROTLI_TAG = 0x01;

const compressAsync = promisify(brotliCompress);
const decompressAsync = promisify(brotliDecompress);

function options(bytes: number): BrotliOptions {
  return {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes,
    },
  };
}

function tagged(packed: Buffer): Buffer {
  return Buffer.concat([Buffer.of(BROTLI_TAG), packed]);
}

/** A JSON text as stored: the text itself when small, else the tag byte and its brotli form. */
export async function encodePayload(json: string): Promise<string | Buffer> {
  // Measured without a copy: nearly every submit's input is small and stored as it is.
  if (Buffer.byteLength(json) <= COMPRESS_ABOVE_BYTES) return json;
  const raw = Buffer.from(json);
  if (raw.length <= OFF_LOOP_BYTES) return tagged(brotliCompressSync(raw, options(raw.length)));
  return tagged(await compressAsync(raw, options(raw.length)));
}

/** encodePayload on the event loop, for writers that must stay synchronous (a caller that skipped JobStore.prepare). */
export function encodePayloadSync(json: string): string | Buffer {
  if (Buffer.byteLength(json) <= COMPRESS_ABOVE_BYTES) return json;
  const raw = Buffer.from(json);
  return tagged(brotliCompressSync(raw, options(raw.length)));
}

/** The JSON text of a stored value (either form). */
export async function decodePayload(stored: Buffer): Promise<string> {
  if (stored[0] !== BROTLI_TAG) return stored.toString('utf8');
  const packed = stored.subarray(1);
  // A compressed value is at most a fifth or so of its text: decide by its own size.
  if (packed.length <= OFF_LOOP_BYTES / 4) return brotliDecompressSync(packed).toString('utf8');
  return (await decompressAsync(packed)).toString('utf8');
}

/** decodePayload then JSON.parse; null for a missing value. */
export async function decodeJson<T>(stored: Buffer | null | undefined): Promise<T | null> {
  if (!stored || stored.length === 0) return null;
  return JSON.parse(await decodePayload(stored)) as T;
}
