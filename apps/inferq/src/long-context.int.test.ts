import type { JobRecord, WebhookPayload } from '@inferq/core';
import { redisKeys } from '@inferq/core';
import { createRedis } from '@inferq/store';
import {
  dropPrefix,
  openSse,
  startFakeOpenAI,
  startWebhookReceiver,
  testPrefix,
  testRedisUrl,
  waitFor,
} from '@inferq/testkit';
import type { FakeProvider, WebhookReceiver } from '@inferq/testkit';
import { verifyWebhook } from '@inferq/webhooks';
import { startAll } from './index';
import type { AllInOne } from './index';
import { longText, sha256 } from './test/long-text';

// A 2 MB prompt through everything: submit, the worker, the OpenAI SDK against
// the fake provider (which echoes it back), and out through GET, SSE (live,
// replayed from the stream, replayed from the record) and a signed webhook.
const prefix = testPrefix('long-context');
const KEY = 'long-context-test-key-0001';
const auth = { authorization: `Bearer ${KEY}` };
const PROMPT = longText(2 * 1024 * 1024);
const PROMPT_SHA = sha256(PROMPT);
const redis = createRedis(testRedisUrl(), 'blocking');
let fake: FakeProvider;
let receiver: WebhookReceiver;
let all: AllInOne;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  receiver = await startWebhookReceiver();
  all = await startAll({
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: prefix,
    HOST: '127.0.0.1',
    PORT: '0',
    METRICS_PORT: '0',
    DASHBOARD_PORT: '0',
    API_KEYS: `acme:${KEY}`,
    LOG_LEVEL: 'silent',
    OPENAI_BASE_URL: fake.url,
    OPENAI_API_KEY: 'sk-test',
    WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    // Long enough for the replay from the stream below on a loaded machine; the test then waits it out.
    EVENTS_RETENTION: '15s',
  });
}, 60_000);
afterAll(async () => {
  await all.close();
  await receiver.close();
  await fake.close();
  redis.disconnect();
  await dropPrefix(prefix);
});

const tokensOf = (messages: Array<{ event?: string; data: string }>) =>
  messages
    .filter((m) => m.event === 'token')
    .map((m) => (JSON.parse(m.data) as { text: string }).text)
    .join('');

async function sse(id: string, headers: Record<string, string> = {}) {
  return openSse(`${all.apiUrl}/v1/jobs/${id}/events`, { ...auth, ...headers });
}

it('carries a 2 MB prompt through submit, worker and provider, and out through GET, SSE and a webhook intact', async () => {
  const body = JSON.stringify({
    model: 'openai/gpt-4o-mini',
    input: { messages: [{ role: 'user', content: PROMPT }] },
    params: { max_tokens: 1_000_000 },
    webhook: { url: `${receiver.url}/hook` },
  });
  expect(Buffer.byteLength(body)).toBeGreaterThan(2 * 1024 * 1024);
  const submit = await fetch(`${all.apiUrl}/v1/jobs`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body,
  });
  expect(submit.status).toBe(202);
  const { id } = (await submit.json()) as { id: string };
  const live = await sse(id);

  // The provider got the whole prompt.
  const [sent] = await fake.waitForRequests(1, 60_000);
  const messages = sent.body.messages as Array<{ content: string }>;
  expect(sha256(messages[messages.length - 1].content)).toBe(PROMPT_SHA);

  // GET with ?wait.
  // A keep-alive socket the server closed while the client sat idle resets on reuse (Node closes idle
  // sockets after 5 s; a loaded machine can take longer than that to get here): one retry on a new one.
  const waited = () => fetch(`${all.apiUrl}/v1/jobs/${id}?wait=60`, { headers: auth });
  const got = (await (await waited().catch(waited)).json()) as JobRecord;
  expect(got.status).toBe('succeeded');
  expect(sha256(got.output!.text)).toBe(PROMPT_SHA);

  // SSE followed live: the tokens join back into the prompt; `done` carries it too.
  await live.ended;
  expect(sha256(tokensOf(live.messages))).toBe(PROMPT_SHA);
  const liveDone = live.messages[live.messages.length - 1];
  expect(liveDone.event).toBe('done');
  expect(sha256((JSON.parse(liveDone.data) as JobRecord).output!.text)).toBe(PROMPT_SHA);

  // SSE after the end, while the stream is kept: a replay of the same events.
  const replay = await sse(id);
  await replay.ended;
  expect(replay.messages.map((m) => m.id)).toEqual(live.messages.map((m) => m.id));

  // The webhook: signed, with the whole output.
  const [hook] = await receiver.waitFor(1, 60_000);
  const { secret } = (await (await fetch(`${all.apiUrl}/v1/webhooks/secret`, { headers: auth })).json()) as {
    secret: string;
  };
  const payload = verifyWebhook(secret, hook.body, hook.headers) as WebhookPayload;
  expect(payload).toMatchObject({ type: 'job.succeeded', data: { id, status: 'succeeded' } });
  expect(sha256(payload.data.output!.text)).toBe(PROMPT_SHA);

  // SSE once the stream is gone (EVENTS_RETENTION): replayed from the record.
  await waitFor(async () => ((await redis.exists(redisKeys(prefix).jobEvents(id))) === 0 ? true : undefined), 60_000);
  const late = await sse(id);
  await late.ended;
  expect(late.messages.map((m) => m.event)).toEqual(['status', 'token', 'done']);
  expect(JSON.parse(late.messages[0].data)).toEqual({ status: 'succeeded' });
  expect(sha256(tokensOf(late.messages))).toBe(PROMPT_SHA);
  expect(late.messages[2].id).toBe(liveDone.id);

  // A client that saw `done` reconnects and is told there is nothing more; one cut short gets `done` again.
  expect(
    (await fetch(`${all.apiUrl}/v1/jobs/${id}/events`, { headers: { ...auth, 'last-event-id': liveDone.id! } })).status,
  ).toBe(204);
  const resumed = await sse(id, { 'last-event-id': live.messages[1].id! });
  await resumed.ended;
  expect(resumed.messages.map((m) => m.event)).toEqual(['status', 'done']);
}, 180_000);
