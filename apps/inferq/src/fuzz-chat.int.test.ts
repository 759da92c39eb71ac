import fc from 'fast-check';
import { dropPrefix, testPrefix } from '@inferq/testkit';
import { startApiAndWorker } from '@inferq/test-stack';
import type { ApiAndWorker } from '@inferq/test-stack';
import { hostileChatBody, hostileContentType } from './test/hostile-chat-bodies';

/**
 * Property: no body, however hostile, makes POST /v1/chat/completions answer
 * 5xx; every error is in OpenAI's shape; every valid request is answered in
 * full (a worker with the sim backend at zero latency runs them).
 */
const prefix = testPrefix('oai-fuzz');
const KEY = 'openai-fuzz-test-key-0001';
let stack: ApiAndWorker;
beforeAll(async () => {
  stack = await startApiAndWorker(prefix, {
    API_KEYS: `acme:${KEY}`,
    RATE_LIMIT_RPM: '1000000',
    MAX_QUEUED_PER_TENANT: '1000000',
    MAX_BODY_BYTES: '256kb',
    SIM_TTFT_MS: '0',
    SIM_TOKEN_MS: '0',
  });
});
afterAll(async () => {
  await stack.close();
  await dropPrefix(prefix);
});

const RUNS = 1000;

it(`answers ${RUNS} generated chat bodies without a single 5xx`, async () => {
  const seen = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(hostileChatBody, hostileContentType, async (raw, type) => {
      const res = await fetch(`${stack.api.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': type },
        body: raw,
      });
      const text = await res.text();
      seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
      expect([200, 400, 404, 413, 415]).toContain(res.status);
      expect(text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
      if (res.status !== 200) {
        const { error } = JSON.parse(text) as { error: Record<string, unknown> };
        expect(Object.keys(error).sort()).toEqual(['code', 'message', 'param', 'type']);
      } else if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
        expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
      } else {
        expect(JSON.parse(text)).toMatchObject({ object: 'chat.completion' });
      }
    }),
    { numRuns: RUNS },
  );
  // The generators reach every kind of answer, not only one.
  expect([...seen.keys()].sort()).toEqual([200, 400, 404, 413, 415]);
}, 300_000);

it('leaves the process healthy and serving', async () => {
  expect((await fetch(`${stack.api.url}/readyz`)).status).toBe(200);
  expect(({} as Record<string, unknown>).model).toBeUndefined(); // no prototype was polluted
});
