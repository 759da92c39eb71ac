import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';
import { JobRequest, newJobId } from '@inferq/core';
import { createRedis, enqueueNewJob, JobStore, PoolQueues } from '@inferq/store';
import {
  appPid,
  CHROMIUM_ARGS,
  chromiumPath,
  describeWithChromium,
  dropPrefix,
  freePort,
  spawnApp,
  testPrefix,
  testRedisUrl,
  waitFor,
} from '@inferq/testkit';
import type { SpawnedApp } from '@inferq/testkit';
import { loadWorkerConfig, startWorker } from '@inferq/worker';
import type { RunningWorker } from '@inferq/worker';

// The dashboard as a person uses it: the real `npm run start:dashboard`, a real
// worker that finished a job, a job waiting in the backlog of a pool no worker
// serves, and headless Chromium logging in over HTTP Basic.
const ARTIFACTS = resolve(__dirname, '../../../test-artifacts');
const TOKEN = 'browser_admin_token_0123456789';
describeWithChromium('the dashboard in a browser', () => {
  const prefix = testPrefix('dashui');
  const redis = createRedis(testRedisUrl(), 'blocking');
  const store = new JobStore(redis, { prefix, retentionMs: 600_000 });
  const queues = new PoolQueues(redis, prefix);
  const dirs: string[] = [];
  let dashboard: SpawnedApp;
  let worker: RunningWorker;
  let url: string;
  let jobId: string;

  /** A fresh profile per context, as the brief for shared machines asks. */
  function launch(options: { httpCredentials?: { username: string; password: string } } = {}): Promise<BrowserContext> {
    const dir = mkdtempSync(join(tmpdir(), 'inferq-chromium-'));
    dirs.push(dir);
    return chromium.launchPersistentContext(dir, {
      executablePath: chromiumPath(),
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 900 },
      ...options,
    });
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    dashboard = spawnApp('start:dashboard', {
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: prefix,
      HOST: '127.0.0.1',
      DASHBOARD_PORT: String(port),
      ADMIN_TOKEN: TOKEN,
      // `idle`: a pool no worker serves, so its jobs wait in their tenants' backlogs.
      WORKER_POOLS: 'default,idle',
    });
    worker = await startWorker(
      loadWorkerConfig({
        REDIS_URL: testRedisUrl(),
        QUEUE_PREFIX: prefix,
        HOST: '127.0.0.1',
        METRICS_PORT: '0',
        LOG_LEVEL: 'silent',
        SIM_TTFT_MS: '0',
        SIM_TOKEN_MS: '0',
      }),
    );
    jobId = newJobId('default');
    const request = JobRequest.parse({ model: 'sim/echo', input: { prompt: 'seen on the dashboard' } });
    await enqueueNewJob(store, queues, { id: jobId, tenant: 'acme', pool: 'default', createdAt: Date.now(), request });
    await waitFor(async () => ((await store.get(jobId))?.record.status === 'succeeded' ? true : undefined), 20_000);
    const waiting = JobRequest.parse({ model: 'sim/echo', input: { prompt: 'no worker yet' }, priority: 'low' });
    await enqueueNewJob(store, queues, {
      id: newJobId('default'),
      tenant: 'globex',
      pool: 'idle',
      createdAt: Date.now(),
      request: waiting,
    });
    await dashboard.waitForOutput(/dashboard listening/, 30_000);
  }, 60_000);

  afterAll(async () => {
    dashboard?.kill('SIGTERM');
    await dashboard?.exited;
    await worker?.close();
    await queues.close();
    redis.disconnect();
    await dropPrefix(prefix);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('refuses a browser without the admin token', async () => {
    const ctx = await launch();
    try {
      const page = ctx.pages()[0] ?? (await ctx.newPage());
      // Headless Chromium cancels the Basic prompt: a 401 page, or this navigation error.
      const status = await page.goto(`${url}/admin/queues`).then(
        (res) => res?.status(),
        (err: Error) => (/ERR_INVALID_AUTH_CREDENTIALS/.test(err.message) ? 401 : err.message),
      );
      expect(status).toBe(401);
    } finally {
      await ctx.close();
    }
  }, 60_000);

  it('logs in, shows the queues, a finished job and the fleet', async () => {
    const ctx = await launch({ httpCredentials: { username: 'operator', password: TOKEN } });
    try {
      const page = ctx.pages()[0] ?? (await ctx.newPage());
      const res = await page.goto(`${url}/admin/queues`);
      expect(res?.status()).toBe(200);
      await page.getByText('pool-default').first().waitFor({ timeout: 30_000 });
      await page.getByText('webhooks').first().waitFor({ timeout: 30_000 });

      await page.goto(`${url}/admin/queues/queue/pool-default?status=completed`);
      await page.getByText(jobId).first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard-completed-job.png'), fullPage: true });

      await page.goto(`${url}/admin/fleet`);
      await page.locator('#workers').getByText(hostname()).first().waitFor({ timeout: 30_000 });
      const row = page.locator('#backlogs tr', { hasText: 'globex' });
      await row.waitFor({ timeout: 30_000 });
      // pool, tenant, priority, queued, weight (then virtual time and oldest wait).
      expect((await row.locator('td').allInnerTexts()).slice(0, 5)).toEqual(['idle', 'globex', 'low', '1', '1']);
      const pool = page.locator('#pools tr', { hasText: 'idle' });
      // pool, capacity, in flight, queued high, normal, low: no slots, one job waiting at low.
      expect((await pool.locator('td').allInnerTexts()).slice(0, 6)).toEqual(['idle', '0', '0', '0', '0', '1']);
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard-fleet.png'), fullPage: true });
      expect(existsSync(join(ARTIFACTS, 'dashboard-completed-job.png'))).toBe(true);
    } finally {
      await ctx.close();
    }
  }, 90_000);

  it('drains and exits 0 on SIGTERM', async () => {
    process.kill(appPid(dashboard), 'SIGTERM');
    expect(await dashboard.exited).toBe(0);
  }, 30_000);
});
