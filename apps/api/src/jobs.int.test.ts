import { JOB_ID_PATTERN, JobAccepted, JobList, JobRecord } from '@inferq/core';
import { AUTH_ACME, AUTH_GLOBEX, startTestApi, validJob } from './test/harness';
import type { TestApi } from './test/harness';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi('api-jobs');
});
afterAll(() => t.close());

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

async function submit(body: object = validJob, auth = AUTH_ACME): Promise<JobAccepted> {
  const res = await t.http.post('/v1/jobs').set(auth).send(body).expect(202);
  return JobAccepted.parse(res.body);
}

describe('POST /v1/jobs', () => {
  it('answers 202 with links and enqueues on the model pool', async () => {
    const res = await t.http
      .post('/v1/jobs')
      .set(AUTH_ACME)
      .send({ ...validJob, priority: 'high', max_attempts: 2 })
      .expect(202);
    const body = JobAccepted.parse(res.body);
    expect(body.id).toMatch(JOB_ID_PATTERN);
    expect(body).toMatchObject({ status: 'queued', model: 'sim/echo' });
    expect(body.created_at).toMatch(ISO_MS);
    expect(body.links).toEqual({
      self: `/v1/jobs/${body.id}`,
      events: `/v1/jobs/${body.id}/events`,
      cancel: `/v1/jobs/${body.id}/cancel`,
    });
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers.etag).toBeUndefined();

    // No worker serves the pool here: the job waits in its tenant's backlog.
    expect(await t.scheduler.position('default', body.id, 0, 'acme')).toBe(0);
    const stored = await t.store.get(body.id);
    expect(stored).toMatchObject({ tenant: 'acme', pool: 'default', priority: 'high' });
    expect(await t.store.input(body.id)).toMatchObject({ max_attempts: 2 });
  });

  it('routes a MODELS_FILE model to its pool', async () => {
    const { id } = await submit({ model: 'local/llama', input: { prompt: 'x' } });
    expect(await t.scheduler.position('gpu', id, 1, 'acme')).toBeGreaterThanOrEqual(0);
    expect(await t.scheduler.position('default', id, 1, 'acme')).toBeUndefined();
  });

  it('refuses an unknown model on path model', async () => {
    const res = await t.http
      .post('/v1/jobs')
      .set(AUTH_ACME)
      .send({ ...validJob, model: 'nope/thing' })
      .expect(400);
    expect(res.body.error.code).toBe('validation_error');
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'model' })]);
  });
});

describe('GET /v1/jobs/{id}', () => {
  it('returns the record with ISO times', async () => {
    const { id } = await submit({ ...validJob, metadata: { order: 'A-17' } });
    const res = await t.http.get(`/v1/jobs/${id}`).set(AUTH_ACME).expect(200);
    const rec = JobRecord.parse(res.body);
    expect(rec).toMatchObject({ id, status: 'queued', attempts: 0, metadata: { order: 'A-17' }, output: null });
    expect(rec.created_at).toMatch(ISO_MS);
  });

  it("answers another tenant's job exactly like a missing one", async () => {
    const { id } = await submit();
    const other = await t.http.get(`/v1/jobs/${id}`).set(AUTH_GLOBEX).expect(404);
    const missing = await t.http.get(`/v1/jobs/job_01ARZ3NDEKTSV4RRFFQ69G5FAV`).set(AUTH_GLOBEX).expect(404);
    expect(other.body.error.code).toBe('not_found');
    expect(other.body.error.message.replace(id, 'X')).toBe(
      missing.body.error.message.replace('job_01ARZ3NDEKTSV4RRFFQ69G5FAV', 'X'),
    );
    await t.http.get('/v1/jobs/not-a-job-id').set(AUTH_ACME).expect(404);
    await t.http.get(`/v1/jobs/${id}:events`).set(AUTH_ACME).expect(404);
  });
});

describe('GET /v1/jobs', () => {
  it('pages newest first and shows only the caller tenant', async () => {
    const t2 = await startTestApi('api-list');
    try {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await t2.http.post('/v1/jobs').set(AUTH_ACME).send(validJob).expect(202);
        ids.push(res.body.id);
      }
      await t2.http.post('/v1/jobs').set(AUTH_GLOBEX).send(validJob).expect(202);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await t2.http
          .get('/v1/jobs')
          .query(cursor ? { limit: 2, cursor } : { limit: 2 })
          .set(AUTH_ACME)
          .expect(200);
        const page = JobList.parse(res.body);
        expect(page.data.length).toBeLessThanOrEqual(2);
        seen.push(...page.data.map((r) => r.id));
        cursor = page.next_cursor;
      } while (cursor);
      expect(seen).toEqual([...ids].reverse());

      const all = JobList.parse((await t2.http.get('/v1/jobs').set(AUTH_GLOBEX).expect(200)).body);
      expect(all.data).toHaveLength(1);
      expect(all.next_cursor).toBeNull();

      await t2.http.post(`/v1/jobs/${ids[0]}/cancel`).set(AUTH_ACME).expect(200);
      const canceled = JobList.parse((await t2.http.get('/v1/jobs?status=canceled').set(AUTH_ACME).expect(200)).body);
      expect(canceled.data.map((r) => r.id)).toEqual([ids[0]]);
    } finally {
      await t2.close();
    }
  });

  it.each([['limit=0'], ['limit=101'], ['limit=abc'], ['status=done'], ['cursor=xyz']])('refuses ?%s', async (q) => {
    const res = await t.http.get(`/v1/jobs?${q}`).set(AUTH_ACME).expect(400);
    expect(res.body.error.details[0].path).toBe(q.split('=')[0]);
  });
});

describe('POST /v1/jobs/{id}/cancel', () => {
  it("cancels a queued job and takes it out of its tenant's backlog", async () => {
    const { id } = await submit({ model: 'local/llama', input: { prompt: 'x' } });
    expect(await t.scheduler.position('gpu', id, 1, 'acme')).toBeGreaterThanOrEqual(0);
    const res = await t.http.post(`/v1/jobs/${id}/cancel`).set(AUTH_ACME).expect(200);
    expect(JobRecord.parse(res.body)).toMatchObject({ id, status: 'canceled' });
    expect(res.body.completed_at).toMatch(ISO_MS);
    expect(await t.scheduler.position('gpu', id, 1, 'acme')).toBeUndefined();
    expect((await t.store.get(id))?.record.status).toBe('canceled');
  });

  it('cancels a job the scheduler handed to BullMQ, removes it there and frees its slot', async () => {
    const { id } = await submit({ model: 'local/llama', input: { prompt: 'y' } });
    // A worker states its slots (and leaves no process to take the jobs): the scheduler hands them over.
    const pick = await t.scheduler.capacity('gpu', 'test-worker', 1000, 60_000);
    expect(pick.promoted.map((p) => p.id)).toContain(id);
    await t.queues.addPromoted('gpu', pick.promoted);
    expect(await t.queues.get('gpu').getJob(id)).toBeDefined();
    const before = (await t.scheduler.stats('gpu')).inFlight;
    await t.http.post(`/v1/jobs/${id}/cancel`).set(AUTH_ACME).expect(200);
    expect(await t.queues.get('gpu').getJob(id)).toBeUndefined();
    expect((await t.scheduler.stats('gpu')).inFlight).toBe(before - 1);
    await t.scheduler.capacity('gpu', 'test-worker', 0, 60_000);
  });

  it('answers 409 for a terminal job', async () => {
    const { id } = await submit();
    await t.store.start(id, 1);
    await t.store.succeed(id, 'acme', {
      output: { text: 'hi', finish_reason: 'stop' },
      usage: { input_tokens: 1, output_tokens: 1 },
      ttftMs: 1,
    });
    const res = await t.http.post(`/v1/jobs/${id}/cancel`).set(AUTH_ACME).expect(409);
    expect(res.body.error.code).toBe('conflict');
    expect((await t.store.get(id))?.record.status).toBe('succeeded');
  });

  it("answers 404 for another tenant's job and leaves it alone", async () => {
    const { id } = await submit();
    const res = await t.http.post(`/v1/jobs/${id}/cancel`).set(AUTH_GLOBEX).expect(404);
    expect(res.body.error.code).toBe('not_found');
    expect((await t.store.get(id))?.record.status).toBe('queued');
    await t.http.post('/v1/jobs/job_01ARZ3NDEKTSV4RRFFQ69G5FAV/cancel').set(AUTH_GLOBEX).expect(404);
  });
});

describe('models and health', () => {
  it('lists models with pool and backend', async () => {
    const res = await t.http.get('/v1/models').set(AUTH_ACME).expect(200);
    expect(res.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'local/llama', backend: 'openai-compatible', pool: 'gpu' }),
        expect.objectContaining({ id: 'sim/echo', backend: 'sim', pool: 'default' }),
      ]),
    );
  });

  it('answers healthz and readyz without a key', async () => {
    expect((await t.http.get('/healthz').expect(200)).body).toEqual({ status: 'ok' });
    expect((await t.http.get('/readyz').expect(200)).body).toEqual({ status: 'ready' });
  });
});
