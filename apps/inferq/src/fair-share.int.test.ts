import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobRecord } from '@inferq/core';
import { createRedis, PoolScheduler } from '@inferq/store';
import { dropPrefix, promValue, testPrefix, testRedisUrl, waitFor } from '@inferq/testkit';
import { startApiAndWorker } from '@inferq/test-stack';
import type { ApiAndWorker } from '@inferq/test-stack';

/**
 * The fair scheduler through the running system (SPEC section 9): the real
 * api and a worker of 2 slots (sim backend, 20 ms a job) over one Redis.
 */
const prefix = testPrefix('fair-share');
const TENANTS = ['noisy', 'quiet', 'heavy', 'light', 'solo'] as const;
type Tenant = (typeof TENANTS)[number];
const key = (t: Tenant) => `${t}-fair-key-0123456789`;
const ADMIN = 'fair-admin-token-0123456789';
const redis = createRedis(testRedisUrl(), 'blocking');
const scheduler = new PoolScheduler(redis, prefix);
let stack: ApiAndWorker;

jest.setTimeout(120_000);

beforeAll(async () => {
  const modelsFile = join(mkdtempSync(join(tmpdir(), 'inferq-fair-')), 'models.json');
  // A pool no worker serves: jobs there stay in their backlogs.
  writeFileSync(modelsFile, JSON.stringify({ models: [{ id: 'local/idle', backend: 'sim', pool: 'idle' }] }));
  stack = await startApiAndWorker(prefix, {
    API_KEYS: TENANTS.map((t) => `${t}:${key(t)}`).join(','),
    ADMIN_TOKEN: ADMIN,
    MODELS_FILE: modelsFile,
    WORKER_CONCURRENCY: '2',
    SIM_TTFT_MS: '20',
    SIM_TOKEN_MS: '0',
    RATE_LIMIT_RPM: '1000000',
    MAX_QUEUED_PER_TENANT: '100000',
  });
});
afterAll(async () => {
  await stack.close();
  redis.disconnect();
  await dropPrefix(prefix);
});

async function call(auth: string, method: string, path: string, body?: unknown) {
  const send = () =>
    fetch(`${stack.api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  // A keep-alive socket the server closed while idle resets on reuse: one retry on a new one.
  const res = await send().catch(send);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
async function submit(t: Tenant, body: object = {}): Promise<string> {
  // sim/echo answers the 3 words with 3 tokens: max_tokens 3 makes the estimate (4 + 3) close to the real 6.
  const res = await call(key(t), 'POST', '/v1/jobs', {
    model: 'sim/echo',
    input: { prompt: 'one two three' },
    params: { max_tokens: 3 },
    ...body,
  });
  expect(res.status).toBe(202);
  return String(res.body.id);
}
/** n submissions, 25 at a time: a loaded machine drops bursts of hundreds of sockets. */
async function submitMany(t: Tenant, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 25)
    ids.push(...(await Promise.all(Array.from({ length: Math.min(25, n - i) }, () => submit(t)))));
  return ids;
}
const record = async (t: Tenant, id: string, wait = 0) =>
  JobRecord.parse((await call(key(t), 'GET', `/v1/jobs/${id}${wait ? `?wait=${wait}` : ''}`)).body);
const terminal = (t: Tenant, id: string) =>
  waitFor(async () => {
    const r = await record(t, id, 5);
    return ['succeeded', 'failed', 'canceled'].includes(r.status) ? r : undefined;
  }, 60_000);
const queued = async (t: Tenant) =>
  (await scheduler.stats('default')).backlogs.filter((b) => b.tenant === t).reduce((n, b) => n + b.queued, 0);
async function served(t: Tenant): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${stack.worker.metricsPort}/metrics`)).text();
  return promValue(text, 'inferq_tenant_tokens_served_total', { pool: 'default', tenant: t }) ?? 0;
}

it("starts a quiet tenant's job within about one free slot while a noisy tenant has hundreds queued", async () => {
  const noisy = await submitMany('noisy', 400);
  const backlogBefore = await queued('noisy');
  expect(backlogBefore).toBeGreaterThan(300);
  const quiet = await terminal('quiet', await submit('quiet'));
  expect(quiet.status).toBe('succeeded');
  // 2 slots: at most the 2 running, the 1 picked ahead and the quiet job's own slot ran meanwhile (plus slack).
  expect(backlogBefore - (await queued('noisy'))).toBeLessThanOrEqual(8);
  // The noisy tenant's jobs have a place in the fair order and, once the pool's rate is known, an ETA.
  const last = noisy[noisy.length - 1];
  const first = await record('noisy', last);
  expect(first.queue?.ahead).toBeGreaterThan(100);
  await new Promise((r) => setTimeout(r, 2100));
  const later = await record('noisy', last);
  expect(later.queue?.eta_s).toBeGreaterThan(0);
  for (const id of noisy) await call(key('noisy'), 'POST', `/v1/jobs/${id}/cancel`);
});

it('serves tokens 3:1 to weights 3 and 1 while both are backlogged', async () => {
  const put = (t: Tenant, weight: number) => call(ADMIN, 'PUT', `/v1/admin/tenants/${t}/limits`, { weight });
  expect((await put('heavy', 3)).status).toBe(200);
  expect((await put('light', 1)).status).toBe(200);
  const [heavyIds, lightIds] = await Promise.all([submitMany('heavy', 400), submitMany('light', 400)]);
  const t0 = { heavy: await served('heavy'), light: await served('light') };
  // 300 jobs of 6 tokens each (3 in, 3 out) while both still have a backlog.
  await waitFor(
    async () => ((await served('heavy')) + (await served('light')) - t0.heavy - t0.light >= 1800 ? true : undefined),
    60_000,
    100,
  );
  const heavy = (await served('heavy')) - t0.heavy;
  const light = (await served('light')) - t0.light;
  expect((await queued('heavy')) * (await queued('light'))).toBeGreaterThan(0);
  expect(heavy / light).toBeGreaterThan(2.7);
  expect(heavy / light).toBeLessThan(3.3);
  await Promise.all(heavyIds.map((id) => call(key('heavy'), 'POST', `/v1/jobs/${id}/cancel`)));
  await Promise.all(lightIds.map((id) => call(key('light'), 'POST', `/v1/jobs/${id}/cancel`)));
});

it('fails a job still queued past its deadline with deadline_exceeded, without running it', async () => {
  const id = await submit('solo', { model: 'local/idle', deadline_s: 1 });
  const rec = await terminal('solo', id);
  expect(rec).toMatchObject({ status: 'failed', started_at: null, attempts: 0 });
  expect(rec.error).toEqual({ code: 'deadline_exceeded', message: expect.any(String), retryable: false });
});

it('cancels a job waiting in a backlog: it leaves the backlog and never runs', async () => {
  const id = await submit('solo', { model: 'local/idle' });
  expect((await record('solo', id)).queue).toEqual({ position: 1, ahead: 0, eta_s: null });
  expect((await call(key('solo'), 'POST', `/v1/jobs/${id}/cancel`)).status).toBe(200);
  expect((await scheduler.stats('idle')).backlogs).toEqual([]);
  expect(await record('solo', id)).toMatchObject({ status: 'canceled', started_at: null });
});

it('refuses a weight or a deadline_s out of range with 400 and details', async () => {
  for (const weight of [0, 0.001, 1001, 'heavy']) {
    const res = await call(ADMIN, 'PUT', '/v1/admin/tenants/solo/limits', { weight });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('weight');
  }
  for (const deadline_s of [0, 86_401, 1.5, '10']) {
    const res = await call(key('solo'), 'POST', '/v1/jobs', { model: 'sim/echo', input: { prompt: 'x' }, deadline_s });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('deadline_s');
  }
});
