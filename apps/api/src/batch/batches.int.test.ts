import fc from 'fast-check';
import { BatchList, BatchObject } from '@inferq/core';
import { waitFor } from '@inferq/testkit';
import { batchLine, createBatch, settledBatch, uploadBatchFile } from '../test/batch-fixtures';
import { AUTH_ACME, AUTH_GLOBEX, startTestApi } from '../test/harness';
import type { TestApi } from '../test/harness';

/** POST/GET /v1/batches and validation, against a real api over real Redis (no worker: nothing must run). */
let t: TestApi;
beforeAll(async () => {
  t = await startTestApi('batches', { RATE_LIMIT_RPM: '1000000' });
});
afterAll(() => t.close());

const req = batchLine;
const uploadLines = (lines: Array<object | string>, auth = AUTH_ACME) => uploadBatchFile(t, lines, auth);
const create = (fileId: string, extra: object = {}, auth = AUTH_ACME) => createBatch(t, fileId, extra, auth);
const settled = (id: string) => settledBatch(t, id);

describe('POST /v1/batches validation', () => {
  it('fails the batch naming every bad line, and runs nothing', async () => {
    const fileId = await uploadLines([
      req('a'),
      '{not json',
      req('a'),
      req('b', 'nope/model'),
      { ...req('c'), url: '/v1/embeddings' },
      { ...req('d'), method: 'GET' },
      req('e', 'sim/echo', { body: { model: 'sim/echo', messages: [{ role: 'user', content: 'x' }], n: 3 } }),
      '',
      { custom_id: 'f', method: 'POST', url: '/v1/chat/completions' },
      req('g'),
    ]);
    const created = BatchObject.parse((await create(fileId, { metadata: { run: '7' } }).expect(200)).body);
    expect(created).toMatchObject({ status: 'validating', request_counts: { total: 0, completed: 0, failed: 0 } });
    expect(created.expires_at - created.created_at).toBe(86_400);
    const b = await settled(created.id);
    expect(b.status).toBe('failed');
    expect(b.failed_at).not.toBeNull();
    const errors = b.errors?.data.map((e) => [e.line, e.code, e.param]);
    expect(errors).toEqual([
      [2, 'invalid_json_line', null],
      [3, 'duplicate_custom_id', 'custom_id'],
      [4, 'model_not_found', 'body.model'],
      [5, 'invalid_url', 'url'],
      [6, 'invalid_method', 'method'],
      [7, 'invalid_request', 'body.n'],
      [9, 'invalid_request', 'body'],
    ]);
    const jobs = await t.http.get('/v1/jobs').set(AUTH_ACME).expect(200);
    expect(jobs.body.data).toEqual([]);
    expect(b.output_file_id).toBeNull();
  });

  it('starts a valid file in_progress with one low priority job per line', async () => {
    const fileId = await uploadLines([req('x1'), req('x2', 'local/llama')]);
    const b = await settled(BatchObject.parse((await create(fileId).expect(200)).body).id);
    expect(b).toMatchObject({ status: 'in_progress', request_counts: { total: 2, completed: 0, failed: 0 } });
    const jobs = await waitFor(async () => {
      const r = await t.http.get('/v1/jobs').set(AUTH_ACME);
      return r.body.data.length === 2 ? r.body.data : undefined;
    });
    for (const j of jobs as Array<{ id: string; metadata: Record<string, string> }>) {
      expect(j.metadata).toMatchObject({ batch_id: b.id });
      const stored = await t.store.get(j.id);
      expect(await t.store.input(j.id)).toBeDefined();
      // A low-priority job in its pool's fair order (no worker here, so still in its tenant's backlog).
      expect(stored?.priority).toBe('low');
      expect(await t.scheduler.position(stored?.pool ?? '', j.id, 2, 'acme')).toBeDefined();
    }
    expect(jobs.map((j: { metadata: { custom_id: string } }) => j.metadata.custom_id).sort()).toEqual(['x1', 'x2']);
    // Cancelled: its queued jobs leave their tenants' backlogs (no slot is spent on them later).
    await t.http.post(`/v1/batches/${b.id}/cancel`).set(AUTH_ACME).expect(200);
    for (const j of jobs as Array<{ id: string }>) {
      const stored = await t.store.get(j.id);
      await waitFor(async () =>
        (await t.scheduler.position(stored?.pool ?? '', j.id, 2, 'acme')) === undefined ? true : undefined,
      );
    }
  });

  it("leaves batch jobs out of the tenant's queue cap", async () => {
    const t2 = await startTestApi('batches-cap', { MAX_QUEUED_PER_TENANT: '1' });
    try {
      const lines = Array.from({ length: 5 }, (_, i) => JSON.stringify(req(`q${i}`))).join('\n');
      const up = await t2.http
        .post('/v1/files')
        .set(AUTH_ACME)
        .field('purpose', 'batch')
        .attach('file', Buffer.from(lines), 'q.jsonl');
      const b = await t2.http
        .post('/v1/batches')
        .set(AUTH_ACME)
        .send({ input_file_id: up.body.id, endpoint: '/v1/chat/completions', completion_window: '1h' })
        .expect(200);
      await waitFor(async () => {
        const r = await t2.http.get('/v1/jobs').set(AUTH_ACME);
        return r.body.data.length === 5 ? true : undefined;
      });
      expect((await t2.http.get(`/v1/batches/${b.body.id}`).set(AUTH_ACME)).body.status).toBe('in_progress');
      // Five batch jobs queued (no worker), yet the cap of one interactive job is untouched.
      await t2.http
        .post('/v1/jobs')
        .set(AUTH_ACME)
        .send({ model: 'sim/echo', input: { prompt: 'x' } })
        .expect(202);
      const full = await t2.http
        .post('/v1/jobs')
        .set(AUTH_ACME)
        .send({ model: 'sim/echo', input: { prompt: 'y' } });
      expect(full.status).toBe(429);
      expect(full.body.error.code).toBe('queue_full');
    } finally {
      await t2.close();
    }
  });

  it('refuses bad bodies with 400 and unknown or foreign files with 404', async () => {
    const fileId = await uploadLines([req('z')]);
    expect((await create(fileId, { completion_window: '48h' }).expect(400)).body.error.param).toBe('completion_window');
    await create(fileId, { completion_window: '0s' }).expect(400);
    await create(fileId, { endpoint: '/v1/embeddings' }).expect(400);
    await create('file-01ARZ3NDEKTSV4RRFFQ69G5FAV').expect(404);
    await create(fileId, {}, AUTH_GLOBEX).expect(404);
    const short = BatchObject.parse((await create(fileId, { completion_window: '60s' }).expect(200)).body);
    expect(short.expires_at - short.created_at).toBe(60);
  });

  it("lists newest first with after, and answers another tenant's batch 404", async () => {
    const fileId = await uploadLines([req('l')]);
    const a = BatchObject.parse((await create(fileId).expect(200)).body);
    const b = BatchObject.parse((await create(fileId).expect(200)).body);
    const page = BatchList.parse((await t.http.get('/v1/batches?limit=1').set(AUTH_ACME).expect(200)).body);
    expect(page).toMatchObject({ object: 'list', first_id: b.id, has_more: true });
    const next = BatchList.parse(
      (await t.http.get(`/v1/batches?limit=1&after=${b.id}`).set(AUTH_ACME).expect(200)).body,
    );
    expect(next.data[0]?.id).toBe(a.id);
    await t.http.get(`/v1/batches/${a.id}`).set(AUTH_GLOBEX).expect(404);
    await t.http.post(`/v1/batches/${a.id}/cancel`).set(AUTH_GLOBEX).expect(404);
    expect(BatchList.parse((await t.http.get('/v1/batches').set(AUTH_GLOBEX).expect(200)).body).data).toEqual([]);
    await t.http.get('/v1/batches/not-a-batch').set(AUTH_ACME).expect(404);
  });

  it('documents the routes in /openapi.json, the upload as multipart', async () => {
    const doc = (await t.http.get('/openapi.json').expect(200)).body;
    for (const path of [
      '/v1/files',
      '/v1/files/{id}',
      '/v1/files/{id}/content',
      '/v1/batches',
      '/v1/batches/{id}/cancel',
    ]) {
      expect(doc.paths[path]).toBeDefined();
    }
    expect(Object.keys(doc.paths['/v1/files'].post.requestBody.content)).toEqual(['multipart/form-data']);
    expect(doc.paths['/v1/batches'].post.responses['200']).toBeDefined();
  });

  it('exports batches by status on /metrics', async () => {
    const text = (await t.http.get('/metrics').expect(200)).text;
    expect(text).toMatch(/inferq_batches\{status="in_progress"\} [1-9]/);
    expect(text).toContain('inferq_batch_requests_queued');
  });
});

describe('the batch routes under hostile input', () => {
  const RUNS = 300;
  it(`answers ${RUNS} generated bodies and queries without a single 5xx`, async () => {
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.record(
        {
          input_file_id: fc.oneof(fc.string(), fc.constant('file-01ARZ3NDEKTSV4RRFFQ69G5FAV'), fc.jsonValue()),
          endpoint: fc.oneof(fc.constant('/v1/chat/completions'), fc.string()),
          completion_window: fc.oneof(fc.constantFrom('24h', '1h', '60s', '25h', '0s', '1d', '-1h'), fc.string()),
          metadata: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.jsonValue()),
        },
        { requiredKeys: [] },
      ),
    );
    const query = fc.dictionary(fc.constantFrom('limit', 'after', 'purpose', 'x'), fc.string({ maxLength: 200 }));
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(body, query, fc.string({ maxLength: 140 }), async (b, q, id) => {
        const responses = await Promise.all([
          t.http.post('/v1/batches').set(AUTH_ACME).set('Content-Type', 'application/json').send(JSON.stringify(b)),
          t.http.get('/v1/batches').query(q).set(AUTH_ACME),
          t.http.get('/v1/files').query(q).set(AUTH_ACME),
          t.http.get(`/v1/batches/${encodeURIComponent(id)}`).set(AUTH_ACME),
          t.http.post(`/v1/batches/${encodeURIComponent(id)}/cancel`).set(AUTH_ACME),
          t.http.get(`/v1/files/${encodeURIComponent(id)}/content`).set(AUTH_ACME),
        ]);
        for (const r of responses) {
          seen.add(r.status);
          expect(r.status).toBeLessThan(500);
          expect(r.text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
        }
      }),
      { numRuns: RUNS },
    );
    expect([...seen]).toEqual(expect.arrayContaining([200, 400, 404]));
  }, 240_000);
});
