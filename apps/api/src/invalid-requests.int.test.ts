import { AUTH_ACME, startTestApi, validJob } from './test/harness';
import type { TestApi } from './test/harness';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi('api-invalid', { MAX_BODY_BYTES: '2kb' });
});
afterAll(() => t.close());

const msg = (content: unknown) => ({ messages: [{ role: 'user', content }] });
const tooManyKeys = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, i]));

// [case, body, path the details must name]
const INVALID: Array<[string, object, string]> = [
  ['missing model', { input: validJob.input }, 'model'],
  ['missing input', { model: 'sim/echo' }, 'input'],
  ['bad role', { model: 'sim/echo', input: { messages: [{ role: 'robot', content: 'x' }] } }, 'input.messages.0.role'],
  ['empty messages', { model: 'sim/echo', input: { messages: [] } }, 'input.messages'],
  ['temperature 3', { ...validJob, params: { temperature: 3 } }, 'params.temperature'],
  ['max_tokens 0', { ...validJob, params: { max_tokens: 0 } }, 'params.max_tokens'],
  ['unknown top-level field', { ...validJob, colour: 'blue' }, 'colour'],
  ['unknown field in params', { ...validJob, params: { temprature: 0.1 } }, 'params.temprature'],
  [
    'unknown field in a message',
    { model: 'sim/echo', input: { messages: [{ role: 'user', content: 'x', name: 'n' }] } },
    'input.messages.0.name',
  ],
  ['priority of the wrong type', { ...validJob, priority: 1 }, 'priority'],
  ['priority not in the set', { ...validJob, priority: 'urgent' }, 'priority'],
  ['bad webhook url', { ...validJob, webhook: { url: 'not a url' } }, 'webhook.url'],
  ['ftp webhook url', { ...validJob, webhook: { url: 'ftp://client.example/hook' } }, 'webhook.url'],
  ['metadata with too many keys', { ...validJob, metadata: tooManyKeys }, 'metadata'],
  ['content with a NUL char', { model: 'sim/echo', input: msg('a\u0000b') }, 'input.messages.0.content'],
  ['empty prompt', { model: 'sim/echo', input: { prompt: '' } }, 'input.prompt'],
  ['max_attempts 0', { ...validJob, max_attempts: 0 }, 'max_attempts'],
  ['timeout_s as a string', { ...validJob, timeout_s: '600' }, 'timeout_s'],
  ['cache as a string', { ...validJob, cache: 'yes' }, 'cache'],
  ['model of the wrong shape', { ...validJob, model: 'gpt4' }, 'model'],
];

describe('POST /v1/jobs with an invalid body', () => {
  it.each(INVALID)('%s -> 400 naming the field', async (_name, body, path) => {
    const res = await t.http.post('/v1/jobs').set(AUTH_ACME).send(body).expect(400);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body.error.code).toBe('validation_error');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    for (const d of res.body.error.details) expect(typeof d.message).toBe('string');
  });

  it('refuses a body that is not an object', async () => {
    const res = await t.http
      .post('/v1/jobs')
      .set(AUTH_ACME)
      .set('Content-Type', 'application/json')
      .send('[1,2]')
      .expect(400);
    expect(res.body.error.details[0].path).toBe('body');
  });

  it('refuses malformed JSON with 400 validation_error', async () => {
    const res = await t.http
      .post('/v1/jobs')
      .set(AUTH_ACME)
      .set('Content-Type', 'application/json')
      .send('{"model": ')
      .expect(400);
    expect(res.body.error.code).toBe('validation_error');
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js/);
  });

  it('refuses another content type with 415', async () => {
    const res = await t.http
      .post('/v1/jobs')
      .set(AUTH_ACME)
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify(validJob))
      .expect(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });

  it('refuses a body over MAX_BODY_BYTES with 413', async () => {
    const body = { model: 'sim/echo', input: { prompt: 'x'.repeat(4096) } };
    const res = await t.http.post('/v1/jobs').set(AUTH_ACME).send(body).expect(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });
});

describe('auth and routing', () => {
  it.each([
    ['no key', {}],
    ['a bad key', { Authorization: 'Bearer acme_key_0123456789abcdeX' }],
    ['another scheme', { Authorization: 'Basic YWNtZTprZXk=' }],
  ])('answers 401 to %s', async (_name, headers) => {
    for (const req of [t.http.get('/v1/jobs'), t.http.post('/v1/jobs').send(validJob), t.http.get('/v1/models')]) {
      const res = await req.set(headers).expect(401);
      // /v1/models answers in OpenAI's error shape (SPEC section 10): the same code and message, plus type and param.
      expect(res.body).toMatchObject({ error: { code: 'unauthorized', message: expect.any(String) } });
    }
  });

  it('checks the key before reading the body', async () => {
    await t.http.post('/v1/jobs').set('Content-Type', 'application/json').send('{oops').expect(401);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await t.http.get('/v1/nothing-here').set(AUTH_ACME).expect(404);
    expect(res.body.error.code).toBe('not_found');
    await t.http.delete('/v1/jobs').set(AUTH_ACME).expect(404);
  });

  it.each([['wait=0'], ['wait=61'], ['wait=-1'], ['wait=abc'], ['wait=']])('refuses ?%s with 400', async (q) => {
    const { body } = await t.http.post('/v1/jobs').set(AUTH_ACME).send(validJob).expect(202);
    const res = await t.http.get(`/v1/jobs/${body.id}?${q}`).set(AUTH_ACME).expect(400);
    expect(res.body.error.details[0].path).toBe('wait');
  });
});
