import type { HttpClient } from './http';
import type { BatchObject, BatchStatus, FileObject } from './types';

const TERMINAL: ReadonlySet<BatchStatus> = new Set(['completed', 'failed', 'expired', 'cancelled']);

export function isTerminalBatch(status: BatchStatus): boolean {
  return TERMINAL.has(status);
}

/**
 * The Batch API (OpenAI compatible): upload a JSONL file of chat requests,
 * run it as a batch on the server, read the output and error files.
 */
export class Batches {
  constructor(private readonly http: HttpClient) {}

  /** POST /v1/files with purpose `batch`. */
  async upload(
    content: string | Blob,
    filename = 'batch.jsonl',
    o: { signal?: AbortSignal } = {},
  ): Promise<FileObject> {
    const form = new FormData();
    form.append('purpose', 'batch');
    form.append('file', typeof content === 'string' ? new Blob([content]) : content, filename);
    return this.http.json<FileObject>('POST', '/v1/files', { body: form, signal: o.signal });
  }

  create(inputFileId: string, o: { completionWindow?: string; metadata?: Record<string, string> } = {}) {
    return this.http.json<BatchObject>('POST', '/v1/batches', {
      body: {
        input_file_id: inputFileId,
        endpoint: '/v1/chat/completions',
        completion_window: o.completionWindow ?? '24h',
        ...(o.metadata ? { metadata: o.metadata } : {}),
      },
    });
  }

  get(id: string, o: { signal?: AbortSignal } = {}): Promise<BatchObject> {
    return this.http.json<BatchObject>('GET', `/v1/batches/${encodeURIComponent(id)}`, { signal: o.signal });
  }

  cancel(id: string): Promise<BatchObject> {
    return this.http.json<BatchObject>('POST', `/v1/batches/${encodeURIComponent(id)}/cancel`);
  }

  /** A file's content as text (an output or error file: one JSON line per request). */
  async content(fileId: string, o: { signal?: AbortSignal } = {}): Promise<string> {
    const res = await this.http.send('GET', `/v1/files/${encodeURIComponent(fileId)}/content`, o, '*/*');
    return res.text();
  }
}
