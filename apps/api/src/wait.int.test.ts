import { AUTH_ACME, AUTH_GLOBEX, startTestApi, validJob } from './test/harness';
import type { TestApi } from './test/harness';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi('api-wait');
});
afterAll(() => t.close());

const submit = async (): Promise<string> =>
  (await t.http.post('/v1/jobs').set(AUTH_ACME).send(validJob).expect(202)).body.id;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const output = {
  output: { text: 'done', finish_reason: 'stop' as const },
  usage: { input_tokens: 2, output_tokens: 1 },
  ttftMs: 3,
};

describe('GET /v1/jobs/{id}?wait=N', () => {
  it('answers as soon as a worker finishes the job', async () => {
    const id = await submit();
    const started = Date.now();
    const pending = t.http.get(`/v1/jobs/${id}?wait=30`).set(AUTH_ACME);
    const answer = pending.then((r) => r);
    await sleep(200);
    // Play the worker through the store: real Redis, real pub/sub.
    expect((await t.store.start(id, 1)).kind).toBe('started');
    await sleep(100);
    await t.store.succeed(id, 'acme', output);
    const res = await answer;
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, status: 'succeeded', output: { text: 'done' } });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('answers at once when the job is already terminal', async () => {
    const id = await submit();
    await t.store.cancel(id, 'acme');
    const started = Date.now();
    const res = await t.http.get(`/v1/jobs/${id}?wait=60`).set(AUTH_ACME).expect(200);
    expect(res.body.status).toBe('canceled');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('returns the current record after N s otherwise', async () => {
    const id = await submit();
    const started = Date.now();
    const res = await t.http.get(`/v1/jobs/${id}?wait=1`).set(AUTH_ACME).expect(200);
    const took = Date.now() - started;
    expect(res.body).toMatchObject({ id, status: 'queued' });
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(10_000);
  });

  it('accepts fractional seconds and answers 404 for another tenant without waiting', async () => {
    const id = await submit();
    const started = Date.now();
    await t.http.get(`/v1/jobs/${id}?wait=0.3`).set(AUTH_ACME).expect(200);
    await t.http.get(`/v1/jobs/${id}?wait=30`).set(AUTH_GLOBEX).expect(404);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('serves many concurrent waiters on one job from one subscription', async () => {
    const id = await submit();
    const answers = Promise.all(
      Array.from({ length: 20 }, () =>
        t.http
          .get(`/v1/jobs/${id}?wait=30`)
          .set(AUTH_ACME)
          .then((r) => r),
      ),
    );
    await sleep(200);
    await t.store.fail(id, 'acme', { code: 'provider_rejected', message: 'no', retryable: false });
    for (const r of await answers)
      expect(r.body).toMatchObject({ id, status: 'failed', error: { code: 'provider_rejected' } });
  });

  it('answers open long-polls with the current record when the api closes', async () => {
    const t2 = await startTestApi('api-wait-close');
    const { body } = await t2.http.post('/v1/jobs').set(AUTH_ACME).send(validJob).expect(202);
    const started = Date.now();
    const answer = t2.http
      .get(`/v1/jobs/${body.id}?wait=60`)
      .set(AUTH_ACME)
      .then((r) => r);
    await sleep(200);
    await t2.close();
    const res = await answer;
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('queued');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
