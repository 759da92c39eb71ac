/**
 * The streaming kind of handler result (SSE): instead of a body, the handler
 * gives a function that writes chunks to a framework-free writer for as long
 * as it likes. Adapters send `status` and `headers`, run `stream`, then end
 * the response.
 */
export interface StreamResult {
  status: number;
  headers: Record<string, string>;
  stream(out: StreamWriter): Promise<void>;
}

/** The response body as a stream, with the client's backpressure visible. */
export interface StreamWriter {
  /** Queues a chunk; false once the client's buffer is full: await `drained()` before writing more. */
  write(chunk: string): boolean;
  /** Resolves once the client took the buffered data, or went away. */
  drained(): Promise<void>;
  /** Drops the connection (for a client that stopped reading). */
  destroy(): void;
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
}

export function isStreamResult(result: object): result is StreamResult {
  return typeof (result as Partial<StreamResult>).stream === 'function';
}
