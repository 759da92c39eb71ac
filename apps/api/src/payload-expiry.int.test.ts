import type { JobRecord } from '@inferq/core';
import { createRedis } from '@inferq/store';
import { openSse, testRedisUrl, waitFor } from '@inferq/testkit';
import { AUTH_ACME, startTestApi } from './test/harness';
import type { TestApi } from './test/harness';

// PAYLOAD_RETENTION and EVENTS_RETENTION made tiny: what GET, the list and SSE
// answer once a finished job's stream, and then its input and output, are gone.
let t: TestApi;
const redis = createRedis(testRedisUrl(), 'blocking');
beforeAll(async () => {
  t = await startTestApi('api-expiry', { PAYLOAD_RETENTION: '4s', EVENTS_RETENTION: '300ms' });
});
afterAll(async () => {
  await t.close();
  redis.disconnect();
});

const PROMPT = 'a prompt that will not be kept. '.repeat(200); // 6.4 KB: stored compressed
const OUTPUT = 'an answer that will not be kept either. '.repeat(100);

/** Submits over HTTP and plays the worker through the store (real Redis, real pub/sub). */
async function finishedJob(metadata = { order: 'A-17' }): Promise<string> {
  const { body } = await t.http
    .post('/v1/jobs')
    .set(AUTH_ACME)
    .send({ model: 'sim/echo', input: { prompt: PROMPT }, metadata })
    .expect(202);
  await t.store.start(body.id, 1);
  await t.store.succeed(body.id, 'acme', {
    output: { text: OUTPUT, finish_reason: 'stop' },
    usage: { input_tokens: 40, output_tokens: 60 },
    ttftMs: 7,
  });
  return body.id;
}

const get = async (id: string) => (await t.http.get(`/v1/jobs/${id}`).set(AUTH_ACME).expect(200)).body as JobRecord;
/** Resolves once the job's event stream has expired (EVENTS_RETENTION after the end). */
const eventsGone = (id: string) =>
  waitFor(async () => ((await redis.exists(t.store.keys.jobEvents(id))) === 0 ? true : undefined), 10_000);

it('replays from the record once the event stream is gone, with the output as one token', async () => {
  const id = await finishedJob();
  await eventsGone(id);
  const sse = await openSse(`${t.api.url}/v1/jobs/${id}/events`, AUTH_ACME);
  await sse.ended;
  expect(sse.messages.map((m) => m.event)).toEqual(['status', 'token', 'done']);
  expect(JSON.parse(sse.messages[1].data)).toEqual({ text: OUTPUT });
  const done = sse.messages[2];
  expect(JSON.parse(done.data)).toMatchObject({ id, status: 'succeeded', output: { text: OUTPUT } });
  // EventSource reconnects with the last id it saw: nothing more (204).
  const again = await fetch(`${t.api.url}/v1/jobs/${id}/events`, {
    headers: { ...AUTH_ACME, 'last-event-id': done.id! },
  });
  expect(again.status).toBe(204);
});

it('keeps the record after PAYLOAD_RETENTION: output null, expired, usage, timings and metadata still there', async () => {
  const id = await finishedJob();
  expect((await get(id)).output?.text).toBe(OUTPUT);
  const rec = await waitFor(async () => {
    const r = await get(id);
    return r.expired ? r : undefined;
  }, 15_000);
  expect(rec).toMatchObject({
    id,
    status: 'succeeded',
    output: null,
    expired: true,
    usage: { input_tokens: 40, output_tokens: 60 },
    timings: { ttft_ms: 7 },
    metadata: { order: 'A-17' },
    error: null,
  });
  // The list says the same; SSE replays the status and `done` without text.
  const list = (await t.http.get('/v1/jobs').set(AUTH_ACME).expect(200)).body as { data: JobRecord[] };
  expect(list.data.find((r) => r.id === id)).toMatchObject({ output: null, expired: true });
  const sse = await openSse(`${t.api.url}/v1/jobs/${id}/events`, AUTH_ACME);
  await sse.ended;
  expect(sse.messages.map((m) => m.event)).toEqual(['status', 'done']);
  expect(JSON.parse(sse.messages[1].data)).toMatchObject({ id, output: null, expired: true });
}, 30_000);
