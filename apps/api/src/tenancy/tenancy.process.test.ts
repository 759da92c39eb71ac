import fc from 'fast-check';
import { freePort, spawnApp, testPrefix, dropPrefix, testRedisUrl } from '@inferq/testkit';
import type { SpawnedApp } from '@inferq/testkit';
import { hostileBody, hostileContentType } from '../test/hostile-bodies';
import { ADMIN_TOKEN, dumpPrefix } from '../test/tenancy-fixtures';

/**
 * The tenancy features through the real `npm run start:api` process (built
 * dist, env only): keys made and revoked over the admin API, a per-tenant
 * override, idempotency, hostile bodies, and the process still standing.
 */
const prefix = testPrefix('tenancy-proc');
let app: SpawnedApp;
let base: string;

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  app = spawnApp('start:api', {
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: prefix,
    HOST: '127.0.0.1',
    PORT: String(port),
    ADMIN_TOKEN,
    API_KEYS: '',
    LOG_LEVEL: 'info',
  });
  await app.waitForOutput(/api listening/, 30_000);
}, 40_000);
afterAll(async () => {
  app.kill('SIGKILL');
  await app.exited;
  await dropPrefix(prefix);
});

async function req(method: string, path: string, token: string, body?: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

it('serves keys, limits and idempotency, survives hostile bodies, and revokes at once', async () => {
  const made = await req('POST', '/v1/admin/keys', ADMIN_TOKEN, JSON.stringify({ tenant: 'proc' }));
  expect(made.status).toBe(201);
  const key = String(made.body.key);

  const job = JSON.stringify({ model: 'sim/echo', input: { prompt: 'hi' } });
  const first = await req('POST', '/v1/jobs', key, job, { 'idempotency-key': 'p-1' });
  const replay = await req('POST', '/v1/jobs', key, job, { 'idempotency-key': 'p-1' });
  expect([first.status, replay.status]).toEqual([202, 200]);
  expect(replay.body.id).toBe(first.body.id);
  expect(replay.headers.get('idempotent-replayed')).toBe('true');

  let fiveHundreds = 0;
  await fc.assert(
    fc.asyncProperty(hostileBody, hostileContentType, async (raw, type) => {
      const res = await fetch(`${base}/v1/jobs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': type },
        body: raw,
      });
      await res.arrayBuffer();
      if (res.status >= 500) fiveHundreds++;
    }),
    { numRuns: 300 },
  );
  expect(fiveHundreds).toBe(0);
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  expect(app.child.exitCode).toBeNull();

  // An override takes effect on the next request.
  const put = await req('PUT', '/v1/admin/tenants/proc/limits', ADMIN_TOKEN, JSON.stringify({ rate_limit_rpm: 1 }));
  expect(put.status).toBe(200);
  const limited = await req('GET', '/v1/models', key);
  expect(limited.status).toBe(429);
  expect(limited.body).toMatchObject({ error: { code: 'rate_limited' } });
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  await req('PUT', '/v1/admin/tenants/proc/limits', ADMIN_TOKEN, JSON.stringify({ rate_limit_rpm: null }));
  expect((await req('GET', '/v1/models', key)).status).toBe(200);

  expect((await req('DELETE', `/v1/admin/keys/${String(made.body.id)}`, ADMIN_TOKEN)).status).toBe(204);
  expect((await req('GET', '/v1/models', key)).status).toBe(401);

  const stored = await dumpPrefix(prefix);
  expect(stored.some((s) => s.includes(key))).toBe(false);
  // Nothing in the process's log either.
  expect(app.output()).not.toContain(key);
}, 120_000);
