import OpenAI from 'openai';
import { loadApiConfig, startApi } from '../index';
import type { StartedApi } from '../index';
import { AUTH_ACME, AUTH_GLOBEX, KEY_ACME, KEY_GLOBEX, startTestApi, validJob } from '../test/harness';
import type { TestApi } from '../test/harness';

// Every error of the OpenAI-compatible routes, as the real OpenAI SDK sees it:
// OpenAI's body shape and the status that makes the SDK raise its usual class,
// whether the error comes from the handler or from before it (auth, rate
// limit, body parsing). No worker runs: nothing here needs a job to finish.
let t: TestApi;
let limited: TestApi;
const sdk = (api: StartedApi, apiKey = KEY_ACME) => new OpenAI({ apiKey, baseURL: `${api.url}/v1`, maxRetries: 0 });
const messages = [{ role: 'user', content: 'hi' }];

beforeAll(async () => {
  t = await startTestApi('oai-errors', { MAX_BODY_BYTES: '64kb' });
  limited = await startTestApi('oai-limits', { RATE_LIMIT_RPM: '3', MAX_QUEUED_PER_TENANT: '1' });
});
afterAll(async () => {
  await t.close();
  await limited.close();
});

/** What the SDK raised for a POST of `body` to /chat/completions. */
function post(client: OpenAI, body: unknown, headers?: Record<string, string>): Promise<unknown> {
  return client.post('/chat/completions', { body, headers }).then(
    () => new Error('answered 2xx'),
    (e: unknown) => e,
  );
}

/** OpenAI's error object: these four fields, nothing else (the SDK keeps it as `err.error`). */
function expectOpenAIError(error: unknown): void {
  expect(Object.keys(error as object).sort()).toEqual(['code', 'message', 'param', 'type']);
}

describe('401', () => {
  it('is an AuthenticationError on both routes, in OpenAI shape; /v1/jobs keeps its own shape', async () => {
    const wrong = sdk(t.api, 'wrong_key_0123456789abcdef');
    const err = await post(wrong, { model: 'sim/echo', messages });
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err).toMatchObject({ status: 401, code: 'unauthorized', type: 'invalid_request_error', param: null });
    expectOpenAIError((err as InstanceType<typeof OpenAI.APIError>).error);
    expect(await wrong.models.list().catch((e: unknown) => e)).toBeInstanceOf(OpenAI.AuthenticationError);
    const raw = await t.http.post('/v1/chat/completions').send({ model: 'sim/echo', messages }).expect(401);
    expectOpenAIError(raw.body.error);
    const jobs = await t.http.post('/v1/jobs').send(validJob).expect(401);
    expect(jobs.body.error).toEqual({ code: 'unauthorized', message: expect.any(String) });
  });
});

describe('400 names the field in param', () => {
  const image = { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } };
  const audio = { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } };
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['n > 1', { n: 2 }, 'n'],
    ['tools', { tools: [{ type: 'function', function: { name: 'f' } }] }, 'tools'],
    ['tool_choice', { tool_choice: 'auto' }, 'tool_choice'],
    ['functions', { functions: [{ name: 'f' }] }, 'functions'],
    [
      'an image',
      { messages: [{ role: 'user', content: [{ type: 'text', text: 'see' }, image] }] },
      'messages.[0].content.[1]',
    ],
    ['audio input', { messages: [{ role: 'user', content: [audio] }] }, 'messages.[0].content.[0]'],
    ['audio output', { audio: { voice: 'alloy', format: 'wav' } }, 'audio'],
    ['audio modality', { modalities: ['text', 'audio'] }, 'modalities'],
    ['json output', { response_format: { type: 'json_object' } }, 'response_format'],
    [
      'a tool message',
      { messages: [...messages, { role: 'tool', content: 'x', tool_call_id: 'c1' }] },
      'messages.[1].role',
    ],
    ['a bad temperature', { temperature: 3 }, 'temperature'],
    ['no messages', { messages: [] }, 'messages'],
    ['max_completion_tokens 0', { max_completion_tokens: 0 }, 'max_completion_tokens'],
    ['five stop sequences', { stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop'],
    ['a control character', { messages: [{ role: 'user', content: 'a\u0000b' }] }, 'messages.[0].content'],
    ['an unknown service_tier', { service_tier: 'gold' }, 'service_tier'],
  ];
  it.each(cases)('%s', async (_name, patch, param) => {
    const err = await post(sdk(t.api), { model: 'sim/echo', messages, ...patch });
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err).toMatchObject({ status: 400, param, code: 'validation_error', type: 'invalid_request_error' });
  });

  it('answers malformed JSON, a body that is no object and another media type in OpenAI shape', async () => {
    const bad = await t.http.post('/v1/chat/completions').set(AUTH_ACME).type('json').send('{"model":').expect(400);
    expectOpenAIError(bad.body.error);
    expect(bad.body.error).toMatchObject({ code: 'validation_error', param: null });
    const list = await t.http.post('/v1/chat/completions').set(AUTH_ACME).type('json').send('[]').expect(400);
    expect(list.body.error).toMatchObject({ code: 'validation_error', param: null });
    const text = await t.http.post('/v1/chat/completions').set(AUTH_ACME).type('text/plain').send('hi').expect(415);
    expect(text.body.error).toMatchObject({ code: 'unsupported_media_type', type: 'invalid_request_error' });
  });
});

it('404 model_not_found for a model nothing here serves', async () => {
  for (const model of ['gpt-4o', 'nope/model']) {
    const err = await post(sdk(t.api), { model, messages });
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err).toMatchObject({ status: 404, code: 'model_not_found', param: 'model' });
  }
});

it('413 for a body over MAX_BODY_BYTES', async () => {
  const err = await post(sdk(t.api), { model: 'sim/echo', messages: [{ role: 'user', content: 'x'.repeat(70_000) }] });
  expect(err).toBeInstanceOf(OpenAI.APIError);
  expect(err).toMatchObject({ status: 413, code: 'payload_too_large', type: 'invalid_request_error' });
});

it('422 for an Idempotency-Key used with another body', async () => {
  const key = { 'Idempotency-Key': 'oai-errors-key-1' };
  await t.http.post('/v1/jobs').set(AUTH_ACME).set(key).send(validJob).expect(202);
  const err = await post(sdk(t.api), { model: 'sim/echo', messages }, key);
  expect(err).toBeInstanceOf(OpenAI.UnprocessableEntityError);
  expect(err).toMatchObject({ status: 422, code: 'idempotency_mismatch' });
});

describe('429', () => {
  it('is a RateLimitError with Retry-After when the tenant has too much queued', async () => {
    await limited.http.post('/v1/jobs').set(AUTH_ACME).send(validJob).expect(202);
    const err = await post(sdk(limited.api), { model: 'sim/echo', messages });
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err).toMatchObject({ status: 429, code: 'queue_full', type: 'requests' });
    expect(Number((err as InstanceType<typeof OpenAI.APIError>).headers?.get('retry-after'))).toBeGreaterThan(0);
  });

  it('is a RateLimitError with Retry-After past RATE_LIMIT_RPM, before the body is looked at', async () => {
    const client = sdk(limited.api, KEY_GLOBEX);
    for (let i = 0; i < 3; i++) await limited.http.get('/v1/models').set(AUTH_GLOBEX).expect(200);
    const err = await post(client, { not: 'even a chat request' });
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(Number((err as InstanceType<typeof OpenAI.APIError>).headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(await client.models.list().catch((e: unknown) => e)).toBeInstanceOf(OpenAI.RateLimitError);
  });
});

describe('503', () => {
  let down: StartedApi;
  beforeAll(async () => {
    down = await startApi(
      loadApiConfig({
        REDIS_URL: 'redis://127.0.0.1:1',
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'silent',
        API_KEYS: `acme:${KEY_ACME}`,
      }),
    );
  });
  afterAll(async () => {
    await down.close();
    // ioredis's disconnectTimeout timer of a socket that never connected (2 s).
    await new Promise((r) => setTimeout(r, 2100));
  });

  it('is an InternalServerError with Retry-After while Redis is down', async () => {
    const err = await post(sdk(down), { model: 'sim/echo', messages });
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect(err).toMatchObject({ status: 503, code: 'unavailable', type: 'server_error' });
    expectOpenAIError((err as InstanceType<typeof OpenAI.APIError>).error);
  });
});
