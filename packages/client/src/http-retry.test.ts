import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { errorBody } from '@inferq/core';
import { InferqApiError, InferqClient, InferqConnectionError } from './index';
import { parseRetryAfterMs, retryDelayMs } from './retry';

/**
 * Retries against a local node:http server that answers 429/503 with
 * Retry-After the way the api does: the wire, not a mock of our code.
 */
let server: Server;
let url: string;
let script: Array<{ status: number; retryAfter?: string }> = [];
const seen: number[] = [];

beforeAll(async () => {
  server = createServer((_req, res) => {
    seen.push(Date.now());
    const step = script.shift() ?? { status: 200 };
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (step.retryAfter) headers['retry-after'] = step.retryAfter;
    res.writeHead(step.status, headers);
    const code = step.status === 429 ? 'rate_limited' : 'unavailable';
    res.end(JSON.stringify(step.status === 200 ? { data: [] } : errorBody(code, 'later')));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen.length = 0;
});

it('retries a 429 after the Retry-After the server gave', async () => {
  script = [
    { status: 429, retryAfter: '1' },
    { status: 503, retryAfter: '0' },
  ];
  const client = new InferqClient({ baseUrl: url, apiKey: 'k' });
  await expect(client.models.list()).resolves.toEqual([]);
  expect(seen).toHaveLength(3);
  expect(seen[1] - seen[0]).toBeGreaterThanOrEqual(950); // honoured, not guessed
});

it('gives up after maxRetries with the typed error and its Retry-After', async () => {
  script = Array.from({ length: 5 }, () => ({ status: 503, retryAfter: '0' }));
  const client = new InferqClient({ baseUrl: url, apiKey: 'k', maxRetries: 2 });
  const err = await client.models.list().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InferqApiError);
  expect(err).toMatchObject({ status: 503, code: 'unavailable', retryAfterS: 0 });
  expect(seen).toHaveLength(3);
  script = [];
});

it('does not retry a client error', async () => {
  script = [{ status: 400 }];
  const client = new InferqClient({ baseUrl: url, apiKey: 'k' });
  await expect(client.models.list()).rejects.toMatchObject({ status: 400 });
  expect(seen).toHaveLength(1);
});

it('reports an unreachable server as a connection error', async () => {
  const client = new InferqClient({ baseUrl: 'http://127.0.0.1:1', apiKey: 'k' });
  await expect(client.models.list()).rejects.toBeInstanceOf(InferqConnectionError);
});

it('reads Retry-After as seconds or an HTTP date, and backs off with jitter without one', () => {
  const now = Date.parse('2025-01-01T12:00:00Z');
  expect(parseRetryAfterMs('3', now)).toBe(3000);
  expect(parseRetryAfterMs('Wed, 01 Jan 2025 12:00:05 GMT', now)).toBe(5000);
  expect(parseRetryAfterMs('soon', now)).toBeUndefined();
  expect(retryDelayMs('120', 1, { baseMs: 500, maxMs: 30_000 })).toBe(30_000);
  expect(retryDelayMs(null, 3, { baseMs: 500, maxMs: 30_000, random: () => 0 })).toBe(1000);
  expect(retryDelayMs(null, 3, { baseMs: 500, maxMs: 30_000, random: () => 1 })).toBe(2000);
});
