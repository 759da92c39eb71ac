import OpenAI from 'openai';
import { ChatCompletion, ChatCompletionChunk } from '@inferq/core';
import type { JobRecord } from '@inferq/core';
import { dropPrefix, startFakeAnthropic, startFakeOpenAI, testPrefix, waitFor } from '@inferq/testkit';
import type { FakeProvider } from '@inferq/testkit';
import { startApiAndWorker } from '@inferq/test-stack';
import type { ApiAndWorker } from '@inferq/test-stack';

// The real OpenAI Node SDK against the api and a worker as npm start wires
// them; the model providers are faked at the wire.
const prefix = testPrefix('oai-sdk');
const KEY = 'openai-sdk-test-key-0001';
const auth = { authorization: `Bearer ${KEY}` };
const PROMPT = 'one two three four five six';
let openaiFake: FakeProvider;
let anthropicFake: FakeProvider;
let stack: ApiAndWorker;
let client: OpenAI;

beforeAll(async () => {
  openaiFake = await startFakeOpenAI();
  anthropicFake = await startFakeAnthropic();
  stack = await startApiAndWorker(prefix, {
    API_KEYS: `acme:${KEY}`,
    OPENAI_BASE_URL: openaiFake.url,
    OPENAI_API_KEY: 'sk-test',
    ANTHROPIC_BASE_URL: anthropicFake.url,
    ANTHROPIC_API_KEY: 'sk-ant-test',
    SIM_TTFT_MS: '0',
    SIM_TOKEN_MS: '5',
  });
  client = new OpenAI({ apiKey: KEY, baseURL: `${stack.api.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await stack.close();
  await Promise.all([openaiFake.close(), anthropicFake.close()]);
  await dropPrefix(prefix);
});
beforeEach(() => {
  openaiFake.reset();
  anthropicFake.reset();
});

const messages = [
  { role: 'system' as const, content: 'Answer briefly.' },
  { role: 'user' as const, content: PROMPT },
];

async function record(id: string): Promise<JobRecord> {
  return (await (await fetch(`${stack.api.url}/v1/jobs/${id}`, { headers: auth })).json()) as JobRecord;
}

describe.each([
  ['sim/echo', undefined],
  ['openai/gpt-4o-mini', 'openai'],
  ['anthropic/claude-3-5-haiku', 'anthropic'],
] as const)('chat.completions.create on %s', (model, provider) => {
  const fake = () => (provider === 'openai' ? openaiFake : provider === 'anthropic' ? anthropicFake : undefined);

  it('answers a chat.completion backed by a job the jobs API reads', async () => {
    const { data, response } = await client.chat.completions
      .create({ model, messages, max_completion_tokens: 64, temperature: 0.5 })
      .withResponse();
    const id = response.headers.get('x-inferq-job-id')!;
    expect(id).toMatch(/^job_/);
    expect(data).toMatchObject({ id: `chatcmpl-${id.slice(4)}`, object: 'chat.completion', model });
    ChatCompletion.parse(data); // the documented schema
    expect(data.choices).toEqual([
      expect.objectContaining({
        index: 0,
        finish_reason: 'stop',
        message: expect.objectContaining({ content: PROMPT }),
      }),
    ]);
    expect(data.choices[0].message.role).toBe('assistant');
    expect(data.usage?.completion_tokens).toBe(6);
    expect(data.usage!.total_tokens).toBe(data.usage!.prompt_tokens + 6);
    const rec = await record(id);
    expect(rec).toMatchObject({ status: 'succeeded', output: { text: PROMPT }, model });
    expect(data.created).toBe(Math.floor(Date.parse(rec.created_at) / 1000));
    if (fake()) {
      const [sent] = await fake()!.waitForRequests(1);
      expect(sent.body.model).toBe(model.slice(model.indexOf('/') + 1));
      // The anthropic backend sends no temperature (its Messages API version refuses some values).
      if (provider === 'openai') expect(sent.body.temperature).toBe(0.5);
      expect(sent.body.max_tokens ?? sent.body.max_completion_tokens).toBe(64);
    }
  });

  it('streams chat.completion.chunk objects, then usage, then [DONE]', async () => {
    // Tokens apart in time, so they reach the client as separate chunks.
    fake()?.setDefault({ kind: 'slow', ttftMs: 20, tokenMs: 40 });
    const { data: stream, response } = await client.chat.completions
      .create({ model, messages, stream: true, stream_options: { include_usage: true } })
      .withResponse();
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const id = response.headers.get('x-inferq-job-id')!;
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    for (const c of chunks) expect(ChatCompletionChunk.parse(c)).toMatchObject({ id: `chatcmpl-${id.slice(4)}` });
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(PROMPT);
    expect(chunks.filter((c) => c.choices[0]?.delta.content).length).toBeGreaterThan(1);
    const last = chunks[chunks.length - 1];
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ completion_tokens: 6 });
    expect(chunks[chunks.length - 2].choices[0].finish_reason).toBe('stop');
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect((await record(id)).status).toBe('succeeded');
  });

  it('streams without usage unless asked, and says length when max_tokens cuts', async () => {
    const stream = await client.chat.completions.create({ model, messages, stream: true, max_tokens: 2 });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('one two ');
    expect(chunks[chunks.length - 1].choices[0].finish_reason).toBe('length');
  });
});

it('lists models in OpenAI list shape, with backend and pool', async () => {
  const models: OpenAI.Model[] = [];
  for await (const m of client.models.list()) models.push(m);
  expect(models).toContainEqual(
    expect.objectContaining({ id: 'sim/echo', object: 'model', owned_by: 'sim', backend: 'sim', pool: 'default' }),
  );
  expect(models.every((m) => Number.isInteger(m.created))).toBe(true);
});

it('accepts OpenAI fields it does not know (ignored) and developer messages', async () => {
  const res = await fetch(`${stack.api.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'sim/echo',
      messages: [
        { role: 'developer', content: 'be nice' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'hello ' },
            { type: 'text', text: 'there' },
          ],
          name: 'ann',
        },
      ],
      frequency_penalty: 0.5,
      store: true,
      reasoning_effort: 'low',
      n: 1,
      tools: [],
      temperature: null,
      user: 'user-42',
      metadata: { app: 'demo' },
    }),
  });
  expect(res.status).toBe(200);
  expect(((await res.json()) as OpenAI.ChatCompletion).choices[0].message.content).toBe('hello there');
  const rec = await record(res.headers.get('x-inferq-job-id')!);
  expect(rec.metadata).toEqual({ app: 'demo', user: 'user-42' });
});

it('fails like OpenAI when the provider refuses the request, streamed or not', async () => {
  openaiFake.setDefault({ kind: 'status', status: 400, body: { error: { message: 'context too long' } } });
  const err = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages }).catch((e) => e);
  expect(err).toBeInstanceOf(OpenAI.BadRequestError);
  expect(err).toMatchObject({ status: 400, code: 'job_failed', type: 'invalid_request_error' });
  expect(err.message).toMatch(/provider_rejected/);
  expect(err.headers.get('x-inferq-job-id')).toMatch(/^job_/);

  const stream = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages, stream: true });
  const failed = await (async () => {
    for await (const _ of stream) void _;
  })().catch((e: unknown) => e);
  expect(failed).toBeInstanceOf(OpenAI.APIError);
  expect(failed).toMatchObject({ code: 'job_failed' });
});

it('replays the same job for the same Idempotency-Key', async () => {
  const opts = { headers: { 'Idempotency-Key': `chat-${prefix}` } };
  const first = await client.chat.completions.create({ model: 'sim/echo', messages }, opts).withResponse();
  const again = await client.chat.completions.create({ model: 'sim/echo', messages }, opts).withResponse();
  expect(again.response.headers.get('x-inferq-job-id')).toBe(first.response.headers.get('x-inferq-job-id'));
  expect(again.response.headers.get('idempotent-replayed')).toBe('true');
  expect(again.data).toEqual(first.data);
});

it('cancels the job of a client that disconnects mid-stream; the provider sees the abort', async () => {
  openaiFake.setDefault({ kind: 'slow', ttftMs: 50, tokenMs: 300 });
  const controller = new AbortController();
  const { data: stream, response } = await client.chat.completions
    .create({ model: 'openai/gpt-4o-mini', messages, stream: true }, { signal: controller.signal })
    .withResponse();
  const id = response.headers.get('x-inferq-job-id')!;
  for await (const c of stream) if (c.choices[0]?.delta.content) break; // leaves (aborts) after the first text
  await waitFor(async () => ((await record(id)).status === 'canceled' ? true : undefined), 10_000);
  await waitFor(() => (openaiFake.requests[0]?.aborted ? true : undefined), 10_000);
  expect((await record(id)).output).toBeNull();
  expect(openaiFake.requests).toHaveLength(1);
});
