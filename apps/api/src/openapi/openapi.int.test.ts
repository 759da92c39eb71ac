import { ErrorBody, HealthStatus, JobAccepted, JobRecord, JobRequest, ModelList } from '@inferq/core';
import { startTestApi, AUTH_ACME } from '../test/harness';
import type { TestApi } from '../test/harness';
import type { OpenApiDocument } from './build-openapi';

/**
 * The served document against the routes the server really mounted: every
 * documented operation answers (not the router's "no route" 404), every other
 * method on a documented path does not, and every SPEC section 4 route this
 * server answers is documented.
 */
let t: TestApi;
let doc: OpenApiDocument;

beforeAll(async () => {
  t = await startTestApi('openapi');
  const res = await t.http.get('/openapi.json');
  expect(res.status).toBe(200);
  doc = res.body as OpenApiDocument;
});
afterAll(() => t.close());

const SPEC_ROUTES = [
  'POST /v1/jobs',
  'GET /v1/jobs/{id}',
  'GET /v1/jobs/{id}/events',
  'POST /v1/jobs/{id}/cancel',
  'GET /v1/jobs',
  'GET /v1/webhooks/secret',
  'GET /v1/models',
  'GET /v1/usage',
  'POST /v1/admin/keys',
  'GET /v1/admin/keys',
  'DELETE /v1/admin/keys/{id}',
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'GET /docs',
  'GET /openapi.json',
];
/** Routes that exist since the foundation; the others land with their own issues. */
const BUILT = ['POST /v1/jobs', 'GET /v1/jobs/{id}', 'POST /v1/jobs/{id}/cancel', 'GET /v1/jobs', 'GET /v1/models'];

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const concrete = (path: string): string => path.replace(/\{[^}]+\}/g, 'job_01JABCDEFGHJKMNPQRSTVWXYZ0');

/** True unless the answer is the router's fallback 404 (no such method and path). */
async function mounted(method: (typeof METHODS)[number], path: string): Promise<boolean> {
  const res = await t.http[method](concrete(path)).buffer(true);
  const body = ErrorBody.safeParse(res.body);
  return !(res.status === 404 && body.success && body.data.error.message.startsWith('no route'));
}

const documented = (): string[] =>
  Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));

it('is served without auth as OpenAPI 3.1', () => {
  expect(doc.openapi).toBe('3.1.0');
  expect(documented()).toEqual(
    expect.arrayContaining([...BUILT, 'GET /healthz', 'GET /readyz', 'GET /docs', 'GET /openapi.json']),
  );
});

it('documents only routes the server mounted, and every method it mounted on those paths', async () => {
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const isDocumented = method in ops;
      expect({ route: `${method} ${path}`, mounted: await mounted(method, path) }).toEqual({
        route: `${method} ${path}`,
        mounted: isDocumented,
      });
    }
  }
});

it('documents every SPEC section 4 route the server answers', async () => {
  const docs = new Set(documented());
  for (const route of SPEC_ROUTES) {
    const [method, path] = route.split(' ') as [string, string];
    if (await mounted(method.toLowerCase() as (typeof METHODS)[number], path)) expect(docs).toContain(route);
  }
});

it('gives a Try-it-out example that the real server accepts, with answers matching the documented schemas', async () => {
  const media = (
    doc.paths['/v1/jobs']?.post?.requestBody as {
      content: { 'application/json': { examples: Record<string, { value: unknown }> } };
    }
  ).content['application/json'];
  const [first] = Object.values(media.examples);
  const submit = await t.http
    .post('/v1/jobs')
    .set(AUTH_ACME)
    .send(first?.value as object);
  expect(submit.status).toBe(202);
  const accepted = JobAccepted.parse(submit.body);
  JobRecord.parse((await t.http.get(`/v1/jobs/${accepted.id}`).set(AUTH_ACME)).body);
  ModelList.parse((await t.http.get('/v1/models').set(AUTH_ACME)).body);
  HealthStatus.parse((await t.http.get('/healthz')).body);
  for (const ex of Object.values(media.examples)) expect(JobRequest.safeParse(ex.value).success).toBe(true);
});

it('lists each documented error code with the status the server really answers', async () => {
  const unauth = await t.http.get('/v1/models');
  expect(Object.keys(doc.paths['/v1/models']?.get?.responses ?? {})).toContain(String(unauth.status));
  const bad = await t.http.post('/v1/jobs').set(AUTH_ACME).send({ model: 'sim/echo' });
  expect(ErrorBody.parse(bad.body).error.code).toBe('validation_error');
  expect(Object.keys(doc.paths['/v1/jobs']?.post?.responses ?? {})).toContain(String(bad.status));
});
