import { z } from 'zod';
import { ErrorBody, ErrorCode, JobRequest } from '@inferq/core';
import { defineRoute } from '../route';
import { buildOpenApiDocument } from './build-openapi';
import type { Operation } from './build-openapi';
import { errorSample } from './error-responses';
import { SPEC_ROUTE_DOCS } from './spec-route-docs';

const ok = async () => ({ status: 200, body: {} });

const table = [
  defineRoute({ method: 'POST', path: '/v1/jobs', auth: 'tenant', body: JobRequest, handler: ok }),
  defineRoute({
    method: 'GET',
    path: '/v1/things/{id}',
    auth: 'tenant',
    params: z.object({ id: z.string() }),
    query: z.object({ wait: z.coerce.number().optional(), limit: z.coerce.number().default(20), tag: z.string() }),
    handler: ok,
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/admin/things/{id}',
    auth: 'admin',
    params: z.object({ id: z.string() }),
    handler: ok,
  }),
  defineRoute({ method: 'GET', path: '/open', auth: 'none', handler: ok }),
];
const doc = buildOpenApiDocument(table);
const op = (method: string, path: string): Operation => {
  const o = doc.paths[path]?.[method];
  if (!o) throw new Error(`no ${method} ${path} in the document`);
  return o;
};

it('is OpenAPI 3.1 with one operation per route and unique operation ids', () => {
  expect(doc.openapi).toBe('3.1.0');
  const ops = Object.values(doc.paths).flatMap((p) => Object.values(p));
  expect(ops).toHaveLength(table.length);
  expect(new Set(ops.map((o) => o.operationId)).size).toBe(ops.length);
});

it('turns params into required path parameters and query fields into query parameters', () => {
  const params = op('get', '/v1/things/{id}').parameters;
  expect(params).toEqual([
    { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
    { name: 'wait', in: 'query', required: false, schema: { type: 'number' } },
    // A default makes the field optional for the caller.
    { name: 'limit', in: 'query', required: false, schema: { type: 'number', default: 20 } },
    { name: 'tag', in: 'query', required: true, schema: { type: 'string' } },
  ]);
});

it('documents the body from the zod schema the route validates with, and its examples', () => {
  const body = op('post', '/v1/jobs').requestBody as { content: Record<string, { schema: unknown; examples: object }> };
  expect(body.content['application/json']?.schema).toEqual({ $ref: '#/components/schemas/JobRequest' });
  expect(Object.keys(body.content['application/json']?.examples ?? {})).toEqual(['try_it', 'spec']);
  const schema = doc.components.schemas.JobRequest as { required: string[]; properties: Record<string, unknown> };
  expect(schema.required.sort()).toEqual(['input', 'model']);
  expect(schema.properties.priority).toMatchObject({ enum: ['high', 'normal', 'low'], default: 'normal' });
});

it('derives security and error responses from auth and schemas', () => {
  const submit = op('post', '/v1/jobs');
  expect(submit.security).toEqual([{ apiKey: [] }]);
  expect(Object.keys(submit.responses).sort()).toEqual([
    '200',
    '202',
    '400',
    '401',
    '413',
    '415',
    '422',
    '429',
    '500',
    '503',
  ]);
  const tooMany = submit.responses['429'] as { headers: object; content: { 'application/json': { examples: object } } };
  expect(Object.keys(tooMany.content['application/json'].examples).sort()).toEqual([
    'budget_exceeded',
    'queue_full',
    'rate_limited',
  ]);
  expect(tooMany.headers).toHaveProperty('Retry-After');

  expect(op('delete', '/v1/admin/things/{id}').security).toEqual([{ adminToken: [] }]);
  expect(Object.keys(op('delete', '/v1/admin/things/{id}').responses).sort()).toEqual([
    '200',
    '400',
    '401',
    '404',
    '500',
    '503',
  ]);

  const open = op('get', '/open');
  expect(open.security).toEqual([]);
  expect(Object.keys(open.responses).sort()).toEqual(['200', '500']);
  expect(open.summary).toBeUndefined(); // no doc anywhere: still listed, with a plain 200
});

it('resolves every $ref', () => {
  const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
  expect(refs.length).toBeGreaterThan(0);
  for (const ref of refs) {
    const name = /#\/components\/schemas\/([^"]+)/.exec(ref)?.[1];
    expect(name && doc.components.schemas[name]).toBeTruthy();
  }
});

it('builds every error example through the one error module, with its own code', () => {
  for (const code of ErrorCode.options) {
    const sample = errorSample(code);
    expect(ErrorBody.parse(sample.body).error.code).toBe(code);
  }
  expect(errorSample('internal_error').status).toBe(500);
  expect(errorSample('queue_full').headers['Retry-After']).toBeDefined();
});

it('gives examples that the response schemas accept', () => {
  let checked = 0;
  for (const [key, routeDoc] of Object.entries(SPEC_ROUTE_DOCS)) {
    for (const r of Object.values(routeDoc.responses ?? {})) {
      if (r.schema && r.example !== undefined) {
        expect({ key, result: r.schema.safeParse(r.example).success }).toEqual({ key, result: true });
        checked++;
      }
    }
  }
  expect(checked).toBeGreaterThanOrEqual(8);
  for (const example of Object.values(SPEC_ROUTE_DOCS['POST /v1/jobs']?.requestExamples ?? {})) {
    expect(JobRequest.safeParse(example).success).toBe(true);
  }
});
