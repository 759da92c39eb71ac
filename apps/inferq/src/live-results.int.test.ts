import type { StartedApi } from '@inferq/api';
import { createRedis, JobStore } from '@inferq/store';
import {
  dropPrefix,
  openSse,
  startFakeOpenAI,
  startMonitorAt,
  testPrefix,
  testRedisUrl,
  waitFor,
} from '@inferq/testkit';
import type { FakeProvider } from '@inferq/testkit';
import { startApiAndWorker } from '@inferq/test-stack';
import type { ApiAndWorker } from '@inferq/test-stack';

// The api and a worker as npm start wires them, the model provider faked at the wire.
const prefix = testPrefix('live');
const KEY = 'live-results-test-key-0001';
const auth = { authorization: `Bearer ${KEY}` };
const redis = createRedis(testRedisUrl(), 'blocking');
const store = new JobStore(redis, { prefix, retentionMs: 60_000 });
let fake: FakeProvider;
let api: StartedApi;
let stack: ApiAndWorker;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  stack = await startApiAndWorker(prefix, {
    API_KEYS: `acme:${KEY}`,
    OPENAI_BASE_URL: fake.url,
    OPENAI_API_KEY: 'sk-test',
  });
  api = stack.api;
});
afterAll(async () => {
  await stack.close();
  await fake.close();
  redis.disconnect();
  await dropPrefix(prefix);
});
beforeEach(() => fake.reset());

const WORDS = 'one two three four five six seven eight nine ten eleven twelve';

async function submit(prompt = WORDS): Promise<string> {
  const res = await fetch(`${api.url}/v1/jobs`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'openai/gpt-4o-mini', input: { prompt } }),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}
const textOf = (data: string): string => (JSON.parse(data) as { text: string }).text;
const getJob = async (id: string) =>
  (await (await fetch(`${api.url}/v1/jobs/${id}`, { headers: auth })).json()) as Record<string, unknown>;

describe('live results', () => {
  it('streams tokens well before done; together they are output.text; every timing is filled', async () => {
    fake.setDefault({ kind: 'slow', ttftMs: 100, tokenMs: 150 });
    const id = await submit();
    const sse = await openSse(`${api.url}/v1/jobs/${id}/events`, auth);
    await sse.ended;
    const tokens = sse.messages.filter((m) => m.event === 'token');
    const done = sse.messages[sse.messages.length - 1];
    expect(done.event).toBe('done');
    // 12 tokens 150 ms apart: the first is on the client more than a second before done.
    expect(done.at - tokens[0].at).toBeGreaterThan(1000);
    expect(tokens.length).toBeGreaterThan(5);
    const record = JSON.parse(done.data) as {
      status: string;
      output: { text: string };
      timings: Record<string, number>;
    };
    expect(record.status).toBe('succeeded');
    expect(tokens.map((m) => textOf(m.data)).join('')).toBe(record.output.text);
    expect(record.output.text).toBe(WORDS);
    for (const k of ['queue_ms', 'run_ms', 'ttft_ms']) expect(record.timings[k]).toEqual(expect.any(Number));
    expect(record.timings.ttft_ms).toBeGreaterThanOrEqual(90);
  });

  it('relays the batches without reading the stream for each, to a client resuming with Last-Event-ID too', async () => {
    fake.setDefault({ kind: 'slow', ttftMs: 100, tokenMs: 100 });
    let key = '';
    let xranges = 0;
    const marker = `${prefix}:marker`;
    let marked = false;
    const monitor = await startMonitorAt(testRedisUrl(), ({ args }) => {
      if (args[0]?.toLowerCase() === 'xrange' && args[1] === key) xranges++;
      marked ||= args[1] === marker;
    });
    try {
      const id = await submit();
      key = store.keys.jobEvents(id);
      const first = await openSse(`${api.url}/v1/jobs/${id}/events`, auth);
      await first.waitFor((m) => m.event === 'token' && textOf(m.data).includes('three'));
      const seen = first.messages.filter((m) => m.event === 'token')[1]?.id ?? '';
      const resumed = await openSse(`${api.url}/v1/jobs/${id}/events`, { ...auth, 'Last-Event-ID': seen });
      await Promise.all([first.ended, resumed.ended]);
      const rest = first.messages.slice(first.messages.findIndex((m) => m.id === seen) + 1);
      expect(resumed.messages.map((m) => [m.event, m.id, m.data])).toEqual(rest.map((m) => [m.event, m.id, m.data]));
      const tokens = first.messages.filter((m) => m.event === 'token');
      expect(tokens.map((m) => textOf(m.data)).join('')).toBe(WORDS);
      expect(tokens.length).toBeGreaterThan(8);
      // Redis answers the marker after the reads before it: MONITOR has shown them all.
      await redis.echo(marker);
      await waitFor(() => (marked ? true : undefined));
      // Each client reads as it starts and on a status change (running, the end), not on a batch.
      expect(xranges).toBeLessThanOrEqual(6);
    } finally {
      monitor.close();
    }
  });

  it('cancels a running job: the provider call is aborted within a second, canceled, not retried, never overwritten', async () => {
    fake.setDefault({ kind: 'slow', ttftMs: 50, tokenMs: 400 });
    const id = await submit();
    const sse = await openSse(`${api.url}/v1/jobs/${id}/events`, auth);
    await sse.waitFor((m) => m.event === 'token');
    const asked = Date.now();
    const res = await fetch(`${api.url}/v1/jobs/${id}/cancel`, { method: 'POST', headers: auth });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe('canceled');
    await waitFor(() => (fake.requests[0]?.aborted ? true : undefined), 5000, 10);
    const abortMs = Date.now() - asked;
    console.log(
      `cancel of a running job: the provider saw the connection aborted ${abortMs} ms after the cancel request`,
    );
    expect(abortMs).toBeLessThan(1000);
    await sse.ended;
    expect(sse.messages.slice(-2).map((m) => m.event)).toEqual(['status', 'done']);
    expect(sse.messages[sse.messages.length - 2].data).toBe('{"status":"canceled"}');

    // A late result of the aborted call (or any other attempt) cannot overwrite it.
    const late = await store.succeed(id, 'acme', {
      output: { text: 'late', finish_reason: 'stop' },
      usage: { input_tokens: 1, output_tokens: 1 },
      ttftMs: 1,
    });
    expect(late).toEqual({ kind: 'terminal', current: 'canceled' });
    await new Promise((r) => setTimeout(r, 1000));
    const rec = await getJob(id);
    expect(rec).toMatchObject({ status: 'canceled', output: null, attempts: 1 });
    expect((rec.timings as Record<string, unknown>).run_ms).toEqual(expect.any(Number));
    expect(fake.requests).toHaveLength(1);
  });

  it('answers 409 to a cancel of a finished job', async () => {
    const id = await submit('short one');
    await fetch(`${api.url}/v1/jobs/${id}?wait=10`, { headers: auth });
    const res = await fetch(`${api.url}/v1/jobs/${id}/cancel`, { method: 'POST', headers: auth });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('conflict');
  });
});
