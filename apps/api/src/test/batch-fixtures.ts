import { BatchObject, FileObject } from '@inferq/core';
import { waitFor } from '@inferq/testkit';
import { AUTH_ACME } from './harness';
import type { TestApi } from './harness';

type Auth = Record<string, string>;

/** One line of a batch input file: a chat completion of `model`. */
export const batchLine = (id: string, model = 'sim/echo', extra: object = {}): object => ({
  custom_id: id,
  method: 'POST',
  url: '/v1/chat/completions',
  body: { model, messages: [{ role: 'user', content: 'hi' }] },
  ...extra,
});

/** Uploads the lines (objects as JSON, strings as they are) as a batch file; its id. */
export async function uploadBatchFile(
  t: TestApi,
  lines: Array<object | string>,
  auth: Auth = AUTH_ACME,
): Promise<string> {
  const text = lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');
  const res = await t.http
    .post('/v1/files')
    .set(auth)
    .field('purpose', 'batch')
    .attach('file', Buffer.from(text), 'b.jsonl');
  return FileObject.parse(res.body).id;
}

export function createBatch(t: TestApi, fileId: string, extra: object = {}, auth: Auth = AUTH_ACME) {
  return t.http
    .post('/v1/batches')
    .set(auth)
    .send({ input_file_id: fileId, endpoint: '/v1/chat/completions', completion_window: '24h', ...extra });
}

/** The batch once it has left `validating`. */
export const settledBatch = (t: TestApi, id: string) =>
  waitFor(async () => {
    const b = BatchObject.parse((await t.http.get(`/v1/batches/${id}`).set(AUTH_ACME)).body);
    return b.status === 'validating' ? undefined : b;
  }, 20_000);
