import type { JobRecord } from '@inferq/core';
import { createRedis, ResponseCache } from '@inferq/store';
import { dropPrefix, testPrefix, testRedisUrl, waitFor } from '@inferq/testkit';
import { startApiAndWorker } from '@inferq/test-stack';
import type { ApiAndWorker } from '@inferq/test-stack';
import { longText, sha256 } from './test/long-text';

// Idempotent replays and the response cache with a 1 MB prompt: large
// payloads are stored compressed, and neither feature notices.
const prefix = testPrefix('long-features');
const KEY = 'long-features-test-key-0001';
const auth = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const PROMPT = longText(1024 * 1024);
const redis = createRedis(testRedisUrl(), 'blocking');
let stack: ApiAndWorker;

beforeAll(async () => {
  stack = await startApiAndWorker(prefix, { API_KEYS: `acme:${KEY}`, SIM_TTFT_MS: '0', SIM_TOKEN_MS: '0' });
}, 30_000);
afterAll(async () => {
  await stack.close();
  redis.disconnect();
  await dropPrefix(prefix);
});

async function submit(body: object, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.api.url}/v1/jobs`, {
    method: 'POST',
    headers: { ...auth, ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as { id: string; status: string } };
}
const waitDone = async (id: string) =>
  (await (await fetch(`${stack.api.url}/v1/jobs/${id}?wait=60`, { headers: auth })).json()) as JobRecord;

it('replays an idempotent submission of a 1 MB body, and refuses the same key with another body', async () => {
  const body = { model: 'sim/echo', input: { prompt: PROMPT } };
  const first = await submit(body, { 'idempotency-key': 'long-1' });
  expect(first.status).toBe(202);
  const again = await submit(body, { 'idempotency-key': 'long-1' });
  expect(again.status).toBe(200);
  expect(again.headers.get('idempotent-replayed')).toBe('true');
  expect(again.body.id).toBe(first.body.id);
  const other = await submit({ ...body, input: { prompt: `${PROMPT}!` } }, { 'idempotency-key': 'long-1' });
  expect(other.status).toBe(422);
  expect(sha256((await waitDone(first.body.id)).output!.text)).toBe(sha256(PROMPT));
}, 60_000);

it('answers a repeated cache-eligible 1 MB request from the cache, output intact and stored compressed', async () => {
  const body = { model: 'sim/echo', input: { prompt: PROMPT }, params: { temperature: 0 }, cache: true };
  const first = await submit(body);
  expect((await waitDone(first.body.id)).status).toBe('succeeded');
  const cache = new ResponseCache(redis, prefix, 60_000);
  // The worker writes the cache just after the record: wait for it.
  const entry = await waitFor(async () => (await redis.getBuffer(cache.keyOf('acme', 'sim/echo', body))) ?? undefined);
  expect(entry[0]).toBe(0x01); // compressed
  expect(entry.length).toBeLessThan(PROMPT.length);
  const hit = await submit(body);
  expect(hit.body.status).toBe('succeeded');
  const rec = await waitDone(hit.body.id);
  expect(rec.cached).toBe(true);
  expect(sha256(rec.output!.text)).toBe(sha256(PROMPT));
}, 60_000);
