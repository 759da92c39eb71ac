import { createRedis, JobEventLog } from '@inferq/store';
import { openSse, testRedisUrl } from '@inferq/testkit';
import { AUTH_ACME, AUTH_GLOBEX, startTestApi, validJob } from './test/harness';
import type { TestApi } from './test/harness';

let t: TestApi;
let log: JobEventLog;
const redis = createRedis(testRedisUrl(), 'blocking');
beforeAll(async () => {
  t = await startTestApi('api-events');
  log = new JobEventLog(redis, { prefix: t.prefix });
});
afterAll(async () => {
  await t.close();
  redis.disconnect();
});

const submit = async (body: object = validJob): Promise<string> =>
  (await t.http.post('/v1/jobs').set(AUTH_ACME).send(body).expect(202)).body.id;
const events = (id: string, headers: Record<string, string> = {}) =>
  openSse(`${t.api.url}/v1/jobs/${id}/events`, { ...AUTH_ACME, ...headers });
const result = {
  output: { text: 'Hello world', finish_reason: 'stop' as const },
  usage: { input_tokens: 2, output_tokens: 2 },
  ttftMs: 5,
};

/** Plays the worker through the store: real Redis, real pub/sub. */
async function runToSuccess(id: string): Promise<void> {
  await t.store.start(id, 1);
  await log.appendTokens(id, 1, 'Hello ', 5);
  await log.appendTokens(id, 1, 'world', null);
  await t.store.succeed(id, 'acme', result);
}

describe('GET /v1/jobs/{id}/events', () => {
  it('streams status and token events live, each with an id, and closes after done with the record', async () => {
    const id = await submit();
    const sse = await events(id);
    expect(sse.status).toBe(200);
    expect(sse.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await sse.waitFor((m) => m.event === 'status');
    await t.store.start(id, 1);
    await log.appendTokens(id, 1, 'Hello ', 5);
    const token = await sse.waitFor((m) => m.event === 'token');
    await new Promise((r) => setTimeout(r, 100));
    await log.appendTokens(id, 1, 'world', null);
    await t.store.succeed(id, 'acme', result);
    await sse.ended;
    const names = sse.messages.map((m) => m.event);
    expect(names).toEqual(['status', 'status', 'token', 'token', 'status', 'done']);
    expect(sse.messages.map((m) => m.data).slice(0, 2)).toEqual(['{"status":"queued"}', '{"status":"running"}']);
    expect(new Set(sse.messages.map((m) => m.id)).size).toBe(6);
    const done = sse.messages[5];
    expect(token.at).toBeLessThan(done.at);
    const tokens = sse.messages
      .filter((m) => m.event === 'token')
      .map((m) => (JSON.parse(m.data) as { text: string }).text);
    const record = JSON.parse(done.data) as { status: string; output: { text: string } };
    expect(record).toMatchObject({ id, status: 'succeeded', timings: { ttft_ms: 5 } });
    expect(tokens.join('')).toBe(record.output.text);
  });

  it('replays every event and done to a client that connects after the end', async () => {
    const id = await submit();
    await runToSuccess(id);
    const sse = await events(id);
    await sse.ended;
    expect(sse.messages.map((m) => m.event)).toEqual(['status', 'status', 'token', 'token', 'status', 'done']);
  });

  it('resumes after Last-Event-ID, and answers 204 once the client has seen done', async () => {
    const id = await submit();
    await runToSuccess(id);
    const first = await events(id);
    await first.ended;
    const ids = first.messages.map((m) => m.id!);
    const resumed = await events(id, { 'Last-Event-ID': ids[2] });
    await resumed.ended;
    expect(resumed.messages.map((m) => m.id)).toEqual(ids.slice(3));
    expect(resumed.messages[0]).toMatchObject({ event: 'token', data: '{"text":"world"}' });
    const after = await events(id, { 'Last-Event-ID': ids[5] });
    await after.ended;
    expect(after.status).toBe(204);
  });

  it('resumes after the final status with done alone, under the id the record keeps', async () => {
    const id = await submit();
    await runToSuccess(id);
    const first = await events(id);
    await first.ended;
    const ids = first.messages.map((m) => m.id!);
    const resumed = await events(id, { 'Last-Event-ID': ids[4] });
    await resumed.ended;
    expect(resumed.messages.map((m) => [m.event, m.id])).toEqual([['done', ids[5]]]);
    expect(JSON.parse(resumed.messages[0].data)).toMatchObject({ id, status: 'succeeded' });
    expect((await t.store.get(id))?.doneId).toBe(ids[5]);
  });

  it('ends a canceled queued job with canceled and done', async () => {
    const id = await submit();
    const sse = await events(id);
    await sse.waitFor((m) => m.event === 'status');
    await t.http.post(`/v1/jobs/${id}/cancel`).set(AUTH_ACME).expect(200);
    await sse.ended;
    expect(sse.messages.map((m) => m.data).slice(0, 2)).toEqual(['{"status":"queued"}', '{"status":"canceled"}']);
    expect(sse.messages[2]).toMatchObject({ event: 'done' });
    expect(JSON.parse(sse.messages[2].data)).toMatchObject({ id, status: 'canceled', timings: { run_ms: 0 } });
  });

  it("answers 404 for another tenant's job, a missing one and a bad id; 400 for a malformed Last-Event-ID", async () => {
    const id = await submit();
    for (const path of [
      `/v1/jobs/${id}/events`,
      '/v1/jobs/job_01JAAAAAAAAAAAAAAAAAAAAAAA/events',
      '/v1/jobs/nope/events',
    ]) {
      const res = await t.http.get(path).set(AUTH_GLOBEX).expect(404);
      expect(res.body.error.code).toBe('not_found');
    }
    await t.http.get(`/v1/jobs/${id}/events`).expect(401);
    const res = await t.http.get(`/v1/jobs/${id}/events`).set(AUTH_ACME).set('Last-Event-ID', 'x; DROP').expect(400);
    expect(res.body.error.details[0].path).toBe('headers.last-event-id');
  });
});

describe('GET /v1/jobs/{id}/events while the api drains', () => {
  it('ends open streams without done, so clients reconnect elsewhere with Last-Event-ID', async () => {
    const t2 = await startTestApi('api-events-close');
    const { body } = await t2.http.post('/v1/jobs').set(AUTH_ACME).send(validJob).expect(202);
    const sse = await openSse(`${t2.api.url}/v1/jobs/${body.id}/events`, AUTH_ACME);
    await sse.waitFor((m) => m.event === 'status');
    const started = Date.now();
    const endedAt = sse.ended.then(() => Date.now());
    await t2.close();
    expect(sse.messages.map((m) => m.event)).toEqual(['status']);
    // Ended by the drain itself, not by the forced cut of connections 10 s into it.
    expect((await endedAt) - started).toBeLessThan(10_000);
  });
});

describe('GET /v1/jobs/{id} while queued', () => {
  it("shows the job's place in its pool, by priority then arrival, and none once it is not waiting", async () => {
    // `local/llama` is in pool `gpu`, where no worker runs.
    const model = { model: 'local/llama', input: { prompt: 'x' } };
    const low = await submit({ ...model, priority: 'low' });
    const normal = await submit(model);
    const high = await submit({ ...model, priority: 'high' });
    const q = async (id: string) => (await t.http.get(`/v1/jobs/${id}`).set(AUTH_ACME).expect(200)).body.queue;
    // No pool throughput measured yet: no ETA.
    expect(await q(high)).toEqual({ position: 1, ahead: 0, eta_s: null });
    expect(await q(normal)).toEqual({ position: 2, ahead: 1, eta_s: null });
    expect(await q(low)).toEqual({ position: 3, ahead: 2, eta_s: null });
    await t.http.post(`/v1/jobs/${high}/cancel`).set(AUTH_ACME).expect(200);
    expect(await q(high)).toBeUndefined();
    expect(await q(low)).toEqual({ position: 2, ahead: 1, eta_s: null });
    const waited = await t.http.get(`/v1/jobs/${low}?wait=0.2`).set(AUTH_ACME).expect(200);
    expect(waited.body.queue).toEqual({ position: 2, ahead: 1, eta_s: null });
  });

  it('gives a job waiting out a retry delay no position', async () => {
    const id = await submit({ model: 'local/llama', input: { prompt: 'x' } });
    // As a worker would leave it: out of the backlog, in BullMQ waiting out a retry delay.
    await t.scheduler.cancel('gpu', id, 1, 'acme');
    const queue = t.queues.get('gpu');
    await queue.add('infer', { id, tenant: 'acme', model: 'local/llama' }, { jobId: id, priority: 2, delay: 60_000 });
    const res = await t.http.get(`/v1/jobs/${id}`).set(AUTH_ACME).expect(200);
    expect(res.body.status).toBe('queued');
    expect(res.body).not.toHaveProperty('queue');
  });
});

describe('GET /v1/jobs/{id}?wait=N', () => {
  it('answers within a fraction of a second of completion, with tokens streaming meanwhile', async () => {
    const id = await submit();
    const pending = t.http
      .get(`/v1/jobs/${id}?wait=30`)
      .set(AUTH_ACME)
      .then((r) => ({ r, at: Date.now() }));
    await new Promise((r) => setTimeout(r, 200));
    await t.store.start(id, 1);
    for (let i = 0; i < 20; i++) await log.appendTokens(id, 1, `t${i} `, null);
    const finished = Date.now();
    await t.store.succeed(id, 'acme', result);
    const { r, at } = await pending;
    expect(r.body.status).toBe('succeeded');
    expect(at - finished).toBeLessThan(1000);
  });
});
