import {
  appPid,
  dropPrefix,
  freePort,
  spawnApp,
  startFakeAnthropic,
  startFakeOpenAI,
  testPrefix,
  testRedisUrl,
  waitFor,
} from '@inferq/testkit';
import type { FakeProvider, SpawnedApp } from '@inferq/testkit';

// Real api and worker processes at LOG_LEVEL=trace, handed every kind of secret
// (env, headers, provider errors, webhook secrets); no log line may contain one.
const prefix = testPrefix('redact');
const SECRETS = {
  apiKey: 'acme_SECRETKEY_5f2b9c1d7e3a4b6c',
  adminToken: 'ADMIN_SECRET_TOKEN_8d1e6f0a2c4b',
  metricsToken: 'METRICS_SECRET_TOKEN_3a9c7e1b5d',
  openaiKey: 'sk-OPENAI-SECRET-4e8a2c6b0d1f3a5c',
  anthropicKey: 'sk-ant-ANTHROPIC-SECRET-7b3d9f1a5c',
  wrongBearer: 'WRONG_BEARER_SECRET_2c4e6a8b0d1f',
};
const apps: SpawnedApp[] = [];
let openai: FakeProvider;
let anthropic: FakeProvider;

afterAll(async () => {
  for (const a of apps) a.kill('SIGKILL');
  await Promise.all(apps.map((a) => a.exited));
  await Promise.all([openai?.close(), anthropic?.close()]);
  await dropPrefix(prefix);
});

it('writes JSON lines with requestId, tenant and jobId, and never a secret', async () => {
  openai = await startFakeOpenAI();
  anthropic = await startFakeAnthropic();
  openai.script({
    kind: 'status',
    status: 401,
    body: { error: { message: 'invalid api key', type: 'invalid_request_error' } },
  });
  anthropic.script({
    kind: 'status',
    status: 401,
    body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } },
  });
  const port = await freePort();
  const env = {
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: prefix,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'trace',
    API_KEYS: `acme:${SECRETS.apiKey}`,
    ADMIN_TOKEN: SECRETS.adminToken,
    METRICS_TOKEN: SECRETS.metricsToken,
    OPENAI_API_KEY: SECRETS.openaiKey,
    OPENAI_BASE_URL: openai.url,
    ANTHROPIC_API_KEY: SECRETS.anthropicKey,
    ANTHROPIC_BASE_URL: anthropic.url,
  };
  const api = spawnApp('start:api', { ...env, PORT: String(port) });
  const worker = spawnApp('start:worker', { ...env, METRICS_PORT: '0', SIM_TTFT_MS: '0', SIM_TOKEN_MS: '0' });
  apps.push(api, worker);
  await Promise.all([api.waitForOutput(/api listening/, 30_000), worker.waitForOutput(/worker started/, 30_000)]);
  const base = `http://127.0.0.1:${port}`;
  const call = (path: string, auth: string, init: RequestInit = {}) =>
    fetch(`${base}${path}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${auth}`,
        'Content-Type': 'application/json',
        'X-Request-Id': `rid-${path.length}-${auth.length}`,
        ...init.headers,
      },
    });
  const submit = async (model: string) => {
    const res = await call('/v1/jobs', SECRETS.apiKey, {
      method: 'POST',
      body: JSON.stringify({ model, input: { prompt: `hello ${model}` } }),
    });
    expect(res.status).toBe(202);
    return ((await res.json()) as { id: string }).id;
  };

  const ids = [
    await submit('sim/echo'),
    await submit('openai/gpt-4o-mini'),
    await submit('anthropic/claude-3-5-haiku'),
  ];
  for (const id of ids) expect((await call(`/v1/jobs/${id}?wait=20`, SECRETS.apiKey)).status).toBe(200);
  const secret = await call('/v1/webhooks/secret', SECRETS.apiKey);
  const whsec = secret.status === 200 ? ((await secret.json()) as { secret: string }).secret : undefined;
  expect((await call('/v1/jobs', SECRETS.wrongBearer)).status).toBe(401);
  expect((await call('/v1/admin/workers', SECRETS.adminToken)).status).toBe(200);
  expect((await call('/metrics', SECRETS.metricsToken)).status).toBe(200);
  expect((await call('/metrics', SECRETS.wrongBearer)).status).toBe(401);
  expect((await call('/v1/jobs', SECRETS.apiKey, { method: 'POST', body: '{"model":' })).status).toBe(400);

  // Wait until the worker logged both provider failures, then drain so every line is flushed.
  await waitFor(() => ((worker.output().match(/attempt failed/g) ?? []).length >= 2 ? true : undefined), 20_000);
  for (const a of [api, worker]) process.kill(appPid(a), 'SIGTERM');
  expect(await api.exited).toBe(0);
  expect(await worker.exited).toBe(0);

  const logs = api.output() + worker.output();
  for (const value of [...Object.values(SECRETS), ...(whsec ? [whsec] : [])]) expect(logs).not.toContain(value);
  // The logs are there and carry their fields, so the greps above looked at something.
  const lines = logs.split('\n').filter((l) => l.startsWith('{'));
  expect(lines.length).toBeGreaterThan(10);
  for (const l of lines) expect(() => JSON.parse(l) as unknown).not.toThrow();
  expect(api.output()).toContain(`"tenant":"acme","jobId":"${ids[0]}"`);
  expect(api.output()).toMatch(/"requestId":"rid-\d+-\d+"/);
  expect(worker.output()).toContain(`"jobId":"${ids[1]}","tenant":"acme"`);
}, 90_000);
