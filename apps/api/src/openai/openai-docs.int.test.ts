import { ChatCompletion, ChatCompletionRequest, OpenAIErrorBody } from '@inferq/core';
import type { OpenApiDocument } from '../openapi/build-openapi';
import { AUTH_ACME, startTestApi } from '../test/harness';
import type { TestApi } from '../test/harness';

// The OpenAI-compatible routes in /openapi.json: their schemas, examples that
// parse, both media types of the answer, and errors documented in OpenAI's shape.
let t: TestApi;
let doc: OpenApiDocument;
beforeAll(async () => {
  t = await startTestApi('oai-docs');
  doc = (await t.http.get('/openapi.json').expect(200)).body as OpenApiDocument;
});
afterAll(() => t.close());

interface Media {
  schema?: { $ref?: string };
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
}
type Responses = Record<string, { content?: Record<string, Media>; headers?: Record<string, unknown> }>;

it('documents POST /v1/chat/completions: body, both answers, and errors in OpenAI shape', () => {
  const op = doc.paths['/v1/chat/completions']?.post;
  expect(op).toBeDefined();
  const body = (op.requestBody as { content: Record<string, Media> }).content['application/json'];
  expect(body.schema?.$ref).toBe('#/components/schemas/ChatCompletionRequest');
  for (const ex of Object.values(body.examples ?? {}))
    expect(ChatCompletionRequest.safeParse(ex.value).success).toBe(true);

  const responses = op.responses as Responses;
  const ok = responses['200'];
  expect(ChatCompletion.safeParse(ok.content?.['application/json']?.example).success).toBe(true);
  expect(String(ok.content?.['text/event-stream']?.example)).toMatch(/data: \[DONE\]\n\n$/);
  expect(ok.headers).toHaveProperty('x-inferq-job-id');
  for (const status of ['400', '401', '404', '413', '415', '422', '429', '502', '503', '504']) {
    const media = responses[status]?.content?.['application/json'];
    expect({ status, schema: media?.schema?.$ref }).toEqual({ status, schema: '#/components/schemas/OpenAIErrorBody' });
    for (const ex of Object.values(media?.examples ?? {})) OpenAIErrorBody.parse(ex.value);
  }
  expect(Object.keys(responses['404'].content!['application/json'].examples!)).toContain('model_not_found');
  expect(responses['504'].headers).toHaveProperty('x-should-retry');
});

it('documents GET /v1/models with OpenAI errors, while /v1/jobs keeps ErrorBody', async () => {
  const models = doc.paths['/v1/models']?.get?.responses as Responses;
  expect(models['401']?.content?.['application/json']?.schema?.$ref).toBe('#/components/schemas/OpenAIErrorBody');
  const jobs = doc.paths['/v1/jobs']?.post?.responses as Responses;
  expect(jobs['401']?.content?.['application/json']?.schema?.$ref).toBe('#/components/schemas/ErrorBody');
  OpenAIErrorBody.parse((await t.http.get('/v1/models').expect(401)).body);
  const bad = await t.http.post('/v1/chat/completions').set(AUTH_ACME).send({ model: 'sim/echo' }).expect(400);
  OpenAIErrorBody.parse(bad.body);
});
