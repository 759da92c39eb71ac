import fc from 'fast-check';
import { AUTH_ACME, startTestApi, validJob } from '../test/harness';
import { hostileBody, hostileContentType } from '../test/hostile-bodies';
import type { TestApi } from '../test/harness';

/**
 * Property: no body, however hostile, makes POST /v1/jobs answer 5xx, and the
 * api serves normally afterwards. Bodies are sent as raw text so keys like
 * `__proto__` arrive exactly as an attacker would write them.
 */
let t: TestApi;
beforeAll(async () => {
  // A 1 MB body limit keeps the oversized bodies the generators make small enough to send a thousand times.
  t = await startTestApi('api-fuzz', {
    RATE_LIMIT_RPM: '1000000',
    MAX_QUEUED_PER_TENANT: '1000000',
    MAX_BODY_BYTES: '1mb',
  });
});
afterAll(() => t.close());

const RUNS = 1200;

describe('POST /v1/jobs under hostile bodies', () => {
  it(`answers ${RUNS} generated bodies without a single 5xx`, async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(hostileBody, hostileContentType, async (raw, type) => {
        const res = await t.http.post('/v1/jobs').set(AUTH_ACME).set('Content-Type', type).send(raw);
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        expect(res.status).toBeLessThan(500);
        expect([202, 400, 413, 415]).toContain(res.status);
        if (res.status !== 202) expect(typeof res.body.error.code).toBe('string');
        expect(res.text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
      }),
      { numRuns: RUNS },
    );
    // The generators reach every kind of answer, not only one.
    expect([...seen.keys()].sort()).toEqual([202, 400, 413, 415]);
  }, 240_000);

  it.each(['__proto__', 'constructor', 'prototype'])('refuses a %s key as an unknown field, naming it', async (key) => {
    for (const raw of [
      `{"${key}":{"model":"x"},"model":"sim/echo","input":{"prompt":"x"}}`,
      `{"model":"sim/echo","input":{"prompt":"x"},"params":{"${key}":{"temperature":9}}}`,
    ]) {
      const res = await t.http
        .post('/v1/jobs')
        .set(AUTH_ACME)
        .set('Content-Type', 'application/json')
        .send(raw)
        .expect(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path.split('.').pop())).toContain(key);
    }
  });

  it('leaves the process healthy and serving', async () => {
    await t.http.get('/healthz').expect(200);
    await t.http.get('/readyz').expect(200);
    const res = await t.http.post('/v1/jobs').set(AUTH_ACME).send(validJob).expect(202);
    await t.http.get(`/v1/jobs/${res.body.id}`).set(AUTH_ACME).expect(200);
    expect(({} as Record<string, unknown>).model).toBeUndefined(); // no prototype was polluted
  });
});
