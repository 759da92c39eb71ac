import { Readable } from 'node:stream';
import { z } from 'zod';
import { QueueFullError, RateLimitedError, UnsupportedMediaTypeError } from '@inferq/core';
import { AdminToken, BootstrapKeys } from '../auth';
import { defineRoute } from '../route';
import type { Route } from '../route';
import { runPipeline } from './run-pipeline';
import type { PipelineDeps, PipelineRequest } from './run-pipeline';

// The pipeline without any server: requests are plain objects, and each step's round trip is logged.
const KEY = 'acme_key_0123456789';
let log: string[] = [];

const deps: PipelineDeps = {
  auth: { tenants: new BootstrapKeys([{ tenant: 'acme', key: KEY }]), admin: new AdminToken('admin-token-xyz') },
  limitRequest: async (tenant) => {
    log.push('rate-limit');
    if (tenant === 'limited') throw new RateLimitedError('slow down', 1);
    return { 'RateLimit-Remaining': '9' };
  },
};

const submit: Route = defineRoute({
  method: 'POST',
  path: '/v1/things',
  auth: 'tenant',
  body: z.strictObject({ n: z.number() }),
  precheck: async () => {
    log.push('admission');
    throw new QueueFullError('full', 5);
  },
  handler: async (ctx) => {
    log.push('handle');
    if (ctx.body.n === 0) await ctx.precheck;
    return { status: 202, body: { n: ctx.body.n, tenant: ctx.tenant } };
  },
});

function request(
  body: unknown,
  over: Partial<PipelineRequest> = {},
): PipelineRequest & { sent: Record<string, string> } {
  const sent: Record<string, string> = {};
  return {
    params: {},
    query: {},
    headers: { authorization: `Bearer ${KEY}` },
    readBody: async () => {
      log.push('read-body');
      if (body instanceof Error) throw body;
      return body;
    },
    setHeaders: (h) => Object.assign(sent, h),
    signal: new AbortController().signal,
    sent,
    ...over,
  };
}

beforeEach(() => (log = []));

it('derives each route its steps from its declaration', () => {
  expect(submit.steps.map((s) => s.kind)).toEqual([
    'auth',
    'rate-limit',
    'admission',
    'read-body',
    'validate',
    'handle',
  ]);
  const admin = defineRoute({
    method: 'GET',
    path: '/a',
    auth: 'admin',
    handler: async () => ({ status: 204, body: undefined }),
  });
  expect(admin.steps.map((s) => s.kind)).toEqual(['auth', 'validate', 'handle']);
});

it('answers with the validated body; admission is left to the handler, after the body was read', async () => {
  const req = request({ n: 3 });
  expect(await runPipeline(submit.steps, req, deps)).toEqual({ status: 202, body: { n: 3, tenant: 'acme' } });
  expect(req.sent).toEqual({ 'RateLimit-Remaining': '9' });
  // The three round trips start together, in the declared order, before the handler runs.
  expect(log).toEqual(['rate-limit', 'admission', 'read-body', 'handle']);
  await expect(runPipeline(submit.steps, request({ n: 0 }), deps)).rejects.toThrow(QueueFullError);
});

it('refuses an unknown caller before reading anything', async () => {
  const req = request({ n: 1 }, { headers: { authorization: 'Bearer nope' } });
  await expect(runPipeline(submit.steps, req, deps)).rejects.toMatchObject({ code: 'unauthorized' });
  expect(log).toEqual([]);
});

it('answers 429 before a bad body, and a bad body before the admission check', async () => {
  const limited = { ...deps, auth: { ...deps.auth, tenants: new BootstrapKeys([{ tenant: 'limited', key: KEY }]) } };
  await expect(runPipeline(submit.steps, request({ n: 'x' }), limited)).rejects.toThrow(RateLimitedError);
  await expect(runPipeline(submit.steps, request({ n: 'x' }), deps)).rejects.toMatchObject({
    code: 'validation_error',
    details: [{ path: 'n', message: expect.any(String) }],
  });
  const unsupported = new UnsupportedMediaTypeError('request bodies must be application/json');
  await expect(runPipeline(submit.steps, request(unsupported), deps)).rejects.toBe(unsupported);
});

it('hands the unread body to a route without a JSON body, and never to one with', async () => {
  const stream = Readable.from(['--boundary']);
  const upload = defineRoute({
    method: 'POST',
    path: '/v1/uploads',
    auth: 'tenant',
    handler: async (ctx) => ({ status: 200, body: { same: ctx.stream === stream } }),
  });
  expect(upload.steps.map((s) => s.kind)).toEqual(['auth', 'rate-limit', 'validate', 'handle']);
  expect(await runPipeline(upload.steps, request(new Error('never read'), { stream }), deps)).toEqual({
    status: 200,
    body: { same: true },
  });
  expect(log).toEqual(['rate-limit']);
  const json = defineRoute({
    method: 'POST',
    path: '/v1/json',
    auth: 'tenant',
    body: z.object({}),
    handler: async (ctx) => ({ status: 200, body: { stream: ctx.stream === undefined ? 'none' : 'given' } }),
  });
  expect(await runPipeline(json.steps, request({}, { stream }), deps)).toMatchObject({ body: { stream: 'none' } });
});
