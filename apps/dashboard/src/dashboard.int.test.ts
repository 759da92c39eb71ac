import { JobRequest, newJobId } from '@inferq/core';
import { createRedis, enqueueNewJob, JobStore, PoolQueues, WorkerRegistry } from '@inferq/store';
import { dropPrefix, promValue, testPrefix, testRedisUrl } from '@inferq/testkit';
import { loadDashboardConfig, startDashboard } from './index';
import type { StartedDashboard } from './index';

// The dashboard over real Redis: admin auth (Bearer, Basic, none), read-only mode, the fleet page (workers,
// pool backlogs per tenant, queues), health and metrics.
const TOKEN = 'dashboard_admin_token_0123456789';
const prefix = testPrefix('dash');
const redis = createRedis(testRedisUrl(), 'blocking');
const queues = new PoolQueues(redis, prefix);
const open: StartedDashboard[] = [];

async function dashboard(env: Record<string, string> = {}): Promise<StartedDashboard> {
  const d = await startDashboard(
    loadDashboardConfig({
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: prefix,
      HOST: '127.0.0.1',
      DASHBOARD_PORT: '0',
      LOG_LEVEL: 'silent',
      ...env,
    }),
  );
  open.push(d);
  return d;
}
const bearer = { Authorization: `Bearer ${TOKEN}` };
const basic = (password: string) => ({ Authorization: `Basic ${Buffer.from(`ops:${password}`).toString('base64')}` });

beforeAll(async () => {
  const now = new Date().toISOString();
  await new WorkerRegistry(redis, prefix).beat(
    {
      id: 'gpu-7-99-abc',
      host: 'gpu-7',
      pid: 99,
      pools: ['gpu-a100'],
      concurrency: 16,
      in_flight: 5,
      version: '0.1.0',
      started_at: now,
      last_heartbeat_at: now,
    },
    60_000,
  );
  // No worker serves the default pool here: these jobs stay in their tenants' backlogs, out of BullMQ.
  const store = new JobStore(redis, { prefix, retentionMs: 600_000 });
  const backlog = [
    { tenant: 'acme', priority: 'normal', weight: 3 },
    { tenant: 'acme', priority: 'normal', weight: 3 },
    { tenant: 'globex', priority: 'high', weight: 1 },
  ] as const;
  for (const { tenant, priority, weight } of backlog) {
    const request = JobRequest.parse({ model: 'sim/echo', input: { prompt: 'waiting' }, priority });
    await enqueueNewJob(store, queues, {
      id: newJobId('default'),
      tenant,
      pool: 'default',
      createdAt: Date.now(),
      request,
      weight,
    });
  }
});
afterAll(async () => {
  await Promise.all(open.map((d) => d.close()));
  await queues.close();
  redis.disconnect();
  await dropPrefix(prefix);
});

describe('with ADMIN_TOKEN', () => {
  let d: StartedDashboard;
  beforeAll(async () => {
    d = await dashboard({ ADMIN_TOKEN: TOKEN });
  });

  it('refuses requests without the token, with a Basic challenge for browsers', async () => {
    for (const headers of [{}, { Authorization: 'Bearer wrong' }, basic('wrong')]) {
      const res = await fetch(`${d.url}/admin/queues`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
      expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
    expect((await fetch(`${d.url}/admin/queues/api/queues`)).status).toBe(401);
    expect((await fetch(`${d.url}/admin/fleet`)).status).toBe(401);
  });

  it('serves Bull Board to Bearer and to Basic with the token as password', async () => {
    for (const headers of [bearer, basic(TOKEN)]) {
      const res = await fetch(`${d.url}/admin/queues`, { headers });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<div id="root">');
    }
  });

  it('shows live workers and their pools on the fleet page, and their queues on the board', async () => {
    const page = await fetch(`${d.url}/admin/fleet`, { headers: bearer });
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const s of ['gpu-7', 'gpu-a100', 'pool-default', 'webhooks', '<td>5</td>']) expect(html).toContain(s);
    // Each pool's capacity, in flight and queued high/normal/low; then the backlogs in order of service.
    expect(html).toContain('<tr><td>default</td><td>0</td><td>0</td><td>1</td><td>2</td><td>0</td>');
    expect(html).toContain(
      '<tr><td>gpu-a100</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>&ndash;</td></tr>',
    );
    const backlogs = html.slice(html.indexOf('id="backlogs"'));
    expect(backlogs).toMatch(/<tr><td>default<\/td><td>globex<\/td><td>high<\/td><td>1<\/td><td>1<\/td>/);
    expect(backlogs).toMatch(/<tr><td>default<\/td><td>acme<\/td><td>normal<\/td><td>2<\/td><td>3<\/td>/);
    expect(backlogs.indexOf('globex')).toBeLessThan(backlogs.indexOf('acme'));
    const api = await fetch(`${d.url}/admin/queues/api/queues`, { headers: bearer });
    const names = ((await api.json()) as { queues: Array<{ name: string; readOnlyMode: boolean }> }).queues.map(
      (q) => q.name,
    );
    expect(names).toEqual(expect.arrayContaining(['pool-default', 'pool-gpu-a100', 'webhooks']));
  });

  it('lets an operator act on queues when not read-only', async () => {
    const pause = await fetch(`${d.url}/admin/queues/api/queues/pool-default/pause`, {
      method: 'PUT',
      headers: bearer,
    });
    expect(pause.status).toBe(200);
    const resume = await fetch(`${d.url}/admin/queues/api/queues/pool-default/resume`, {
      method: 'PUT',
      headers: bearer,
    });
    expect(resume.status).toBe(200);
  });

  it('answers /healthz, /readyz and /metrics without the admin token', async () => {
    expect((await fetch(`${d.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${d.url}/readyz`)).status).toBe(200);
    const metrics = await fetch(`${d.url}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(promValue(text, 'inferq_queue_jobs', { queue: 'webhooks', state: 'waiting' })).toBe(0);
    expect(promValue(text, 'inferq_pool_queued_jobs', { pool: 'default', priority: 'normal' })).toBe(2);
    expect(promValue(text, 'inferq_pool_queued_jobs', { pool: 'default', priority: 'high' })).toBe(1);
    expect(promValue(text, 'inferq_pool_oldest_queued_seconds', { pool: 'default' })).toBeGreaterThanOrEqual(0);
  });
});

it('refuses every action in read-only mode but still shows the queues', async () => {
  const d = await dashboard({ ADMIN_TOKEN: TOKEN, DASHBOARD_READ_ONLY: 'true' });
  const pause = await fetch(`${d.url}/admin/queues/api/queues/pool-default/pause`, { method: 'PUT', headers: bearer });
  expect(pause.status).toBe(403);
  expect(await pause.json()).toMatchObject({ error: { code: 'forbidden' } });
  const api = await fetch(`${d.url}/admin/queues/api/queues`, { headers: bearer });
  const queues = ((await api.json()) as { queues: Array<{ readOnlyMode: boolean }> }).queues;
  expect(queues.length).toBeGreaterThan(0);
  expect(queues.every((q) => q.readOnlyMode)).toBe(true);
});

it('refuses everyone, saying why, when ADMIN_TOKEN is not set', async () => {
  const d = await dashboard();
  for (const headers of [{}, bearer, basic(TOKEN)]) {
    const res = await fetch(`${d.url}/admin/queues`, { headers });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('ADMIN_TOKEN');
  }
});

it('rejects a bad DASHBOARD_READ_ONLY naming the variable', () => {
  expect(() => loadDashboardConfig({ DASHBOARD_READ_ONLY: 'maybe' })).toThrow(/DASHBOARD_READ_ONLY/);
});
