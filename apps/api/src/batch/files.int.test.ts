import { FileList, FileObject } from '@inferq/core';
import { createRedis } from '@inferq/store';
import { testRedisUrl } from '@inferq/testkit';
import { AUTH_ACME, AUTH_GLOBEX, startTestApi } from '../test/harness';
import type { TestApi } from '../test/harness';

/** POST/GET/DELETE /v1/files against a real api over real Redis (no worker needed). */
let t: TestApi;
beforeAll(async () => {
  t = await startTestApi('files', { MAX_BATCH_FILE_BYTES: '64kb' });
});
afterAll(() => t.close());

const line = (i: number): string =>
  JSON.stringify({
    custom_id: `r${i}`,
    method: 'POST',
    url: '/v1/chat/completions',
    body: { model: 'sim/echo', messages: [{ role: 'user', content: `hi ${i}` }] },
  });

function upload(
  content: string | Buffer,
  opts: { purpose?: string; auth?: Record<string, string>; filename?: string } = {},
) {
  const req = t.http.post('/v1/files').set(opts.auth ?? AUTH_ACME);
  if (opts.purpose !== undefined) req.field('purpose', opts.purpose);
  return req.attach('file', Buffer.from(content), opts.filename ?? 'in.jsonl');
}

describe('/v1/files', () => {
  it('stores an upload, lists, reads back its bytes and deletes it', async () => {
    const content = `${[1, 2, 3].map(line).join('\n')}\n`;
    const res = await upload(content, { purpose: 'batch', filename: '../evil\u0007/name.jsonl' }).expect(200);
    const file = FileObject.parse(res.body);
    expect(file).toMatchObject({
      object: 'file',
      purpose: 'batch',
      bytes: Buffer.byteLength(content),
      filename: 'name.jsonl',
    });
    expect(file.id).toMatch(/^file-[0-9A-Z]{26}$/);
    expect(file.expires_at).toBeGreaterThan(file.created_at);

    await t.http.get(`/v1/files/${file.id}`).set(AUTH_ACME).expect(200, res.body);
    const body = await t.http
      .get(`/v1/files/${file.id}/content`)
      .set(AUTH_ACME)
      .buffer(true)
      .parse((r, cb) => {
        let s = '';
        r.on('data', (d: Buffer) => (s += d.toString()));
        r.on('end', () => cb(null, s));
      });
    expect(body.status).toBe(200);
    expect(body.body).toBe(content);

    const second = FileObject.parse((await upload(line(9), { purpose: 'batch' }).expect(200)).body);
    const list = FileList.parse((await t.http.get('/v1/files?limit=1').set(AUTH_ACME).expect(200)).body);
    expect(list).toMatchObject({ object: 'list', has_more: true, first_id: second.id, last_id: second.id });
    const next = FileList.parse(
      (await t.http.get(`/v1/files?limit=1&after=${second.id}`).set(AUTH_ACME).expect(200)).body,
    );
    expect(next.data.map((f) => f.id)).toEqual([file.id]);

    await t.http
      .delete(`/v1/files/${file.id}`)
      .set(AUTH_ACME)
      .expect(200, { id: file.id, object: 'file', deleted: true });
    await t.http.get(`/v1/files/${file.id}`).set(AUTH_ACME).expect(404);
    await t.http.get(`/v1/files/${file.id}/content`).set(AUTH_ACME).expect(404);
  });

  it("answers another tenant's file exactly like a missing one", async () => {
    const file = FileObject.parse((await upload(line(1), { purpose: 'batch' }).expect(200)).body);
    for (const [method, path] of [
      ['get', `/v1/files/${file.id}`],
      ['get', `/v1/files/${file.id}/content`],
      ['delete', `/v1/files/${file.id}`],
    ] as const) {
      const res = await t.http[method](path).set(AUTH_GLOBEX).expect(404);
      expect(res.body.error.code).toBe('not_found');
    }
    const theirs = FileList.parse((await t.http.get('/v1/files').set(AUTH_GLOBEX).expect(200)).body);
    expect(theirs.data.map((f) => f.id)).not.toContain(file.id);
    await t.http.get(`/v1/files/${file.id}`).set(AUTH_ACME).expect(200);
  });

  it('refuses what is not a batch upload, with a 4xx naming the problem', async () => {
    await t.http.post('/v1/files').set(AUTH_ACME).send({ purpose: 'batch' }).expect(415);
    // OpenAI's error shape (SPEC section 11): `param` names the field.
    expect((await upload(line(1), {}).expect(400)).body.error).toMatchObject({
      code: 'validation_error',
      param: 'purpose',
    });
    await upload(line(1), { purpose: 'fine-tune' }).expect(400);
    await upload('\n \n', { purpose: 'batch' }).expect(400);
    const noFile = await t.http.post('/v1/files').set(AUTH_ACME).field('purpose', 'batch').expect(400);
    expect(noFile.body.error).toMatchObject({ code: 'validation_error', param: 'file' });
    await t.http
      .post('/v1/files')
      .set(AUTH_ACME)
      .set('Content-Type', 'multipart/form-data')
      .send('no boundary')
      .expect(400);
    await t.http
      .post('/v1/files')
      .attach('file', Buffer.from(line(1)), 'x.jsonl')
      .expect(401);
  });

  it('answers 413 past MAX_BATCH_FILE_BYTES and 400 past 50,000 lines, and keeps nothing of either', async () => {
    const big = `${Array.from({ length: 1000 }, (_, i) => line(i)).join('\n')}\n`;
    expect(Buffer.byteLength(big)).toBeGreaterThan(64 * 1024);
    const res = await upload(big, { purpose: 'batch' }).expect(413);
    expect(res.body.error.code).toBe('payload_too_large');
    const many = '{}\n'.repeat(50_001);
    const t2 = await startTestApi('files-lines');
    try {
      const r = await t2.http
        .post('/v1/files')
        .set(AUTH_ACME)
        .field('purpose', 'batch')
        .attach('file', Buffer.from(many), 'm.jsonl');
      expect(r.status).toBe(400);
      expect(r.body.error.message).toContain('50000 lines');
      const ok = await t2.http
        .post('/v1/files')
        .set(AUTH_ACME)
        .field('purpose', 'batch')
        .attach('file', Buffer.from('{}\n'.repeat(50_000)), 'm.jsonl');
      expect(ok.status).toBe(200);
    } finally {
      await t2.close();
    }
    // Nothing of the refused uploads remains: only the accepted files' chunks are stored.
    const redis = createRedis(testRedisUrl(), 'blocking');
    try {
      const keys = await redis.keys(`${t.prefix}:fb:*:chunks`);
      const listed = FileList.parse((await t.http.get('/v1/files?limit=100').set(AUTH_ACME).expect(200)).body);
      expect(keys.length).toBe(listed.data.length);
    } finally {
      redis.disconnect();
    }
  });
});
