import { waitFor } from '@inferq/testkit';
import { BatchObject, BatchOutputLine } from '@inferq/core';

/** One input line of a batch file: a chat request to `model` whose last user message is `prompt`. */
export function chatLine(customId: string, model: string, prompt: string, body: object = {}): object {
  return {
    custom_id: customId,
    method: 'POST',
    url: '/v1/chat/completions',
    body: { model, messages: [{ role: 'user', content: prompt }], ...body },
  };
}

export const jsonl = (lines: Array<object | string>): string =>
  lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';

/** A tiny client of the Batch API over fetch (the SDK test uses the real openai SDK instead). */
export class BatchHttp {
  constructor(
    readonly url: string,
    private readonly key: string,
  ) {}

  async upload(content: string, filename = 'input.jsonl'): Promise<{ status: number; body: Record<string, unknown> }> {
    const form = new FormData();
    form.append('purpose', 'batch');
    form.append('file', new Blob([content]), filename);
    const res = await fetch(`${this.url}/v1/files`, { method: 'POST', headers: this.auth(), body: form });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async uploadOk(content: string): Promise<string> {
    const r = await this.upload(content);
    if (r.status !== 200) throw new Error(`upload answered ${r.status}: ${JSON.stringify(r.body)}`);
    return String(r.body.id);
  }

  async json(method: string, path: string, body?: object): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { ...this.auth(), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async create(fileId: string, window = '24h', metadata?: Record<string, string>): Promise<BatchObject> {
    const r = await this.json('POST', '/v1/batches', {
      input_file_id: fileId,
      endpoint: '/v1/chat/completions',
      completion_window: window,
      ...(metadata ? { metadata } : {}),
    });
    if (r.status !== 200) throw new Error(`create answered ${r.status}: ${JSON.stringify(r.body)}`);
    return BatchObject.parse(r.body);
  }

  async get(id: string): Promise<BatchObject> {
    return BatchObject.parse((await this.json('GET', `/v1/batches/${id}`)).body);
  }

  /** Polls until the batch has one of `statuses`. */
  until(id: string, statuses: string[], timeoutMs = 60_000): Promise<BatchObject> {
    return waitFor(
      async () => {
        const b = await this.get(id);
        return statuses.includes(b.status) ? b : undefined;
      },
      timeoutMs,
      200,
    );
  }

  async lines(fileId: string | null): Promise<BatchOutputLine[]> {
    if (!fileId) return [];
    const res = await fetch(`${this.url}/v1/files/${fileId}/content`, { headers: this.auth() });
    if (res.status !== 200) throw new Error(`content answered ${res.status}`);
    const text = await res.text();
    return text
      .split('\n')
      .filter(Boolean)
      .map((l) => BatchOutputLine.parse(JSON.parse(l)));
  }

  private auth(): Record<string, string> {
    return { authorization: `Bearer ${this.key}` };
  }
}

/** The text of a succeeded output line's chat.completion. */
export function contentOf(line: BatchOutputLine): string {
  const body = line.response?.body as { choices: Array<{ message: { content: string } }> };
  return body.choices[0].message.content;
}
