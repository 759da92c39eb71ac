import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { freePort, spawnApp, waitFor } from '@inferq/testkit';
import type { SpawnedApp } from '@inferq/testkit';

// SPEC section 12: worker and dispatcher answer /healthz on METRICS_PORT from the start, also while
// Redis is unreachable (/readyz 503 then), so a liveness probe never kills them in a Redis outage.
// Redis here is a private redis-server started later on a port of its own (never the shared one).
const apps: SpawnedApp[] = [];
let redis: ChildProcess | undefined;

afterAll(async () => {
  for (const a of apps) a.kill('SIGKILL');
  await Promise.all(apps.map((a) => a.exited));
  redis?.kill('SIGKILL');
});

const statusOf = (url: string) =>
  fetch(url).then(
    (r) => r.status,
    () => 0,
  );

const base = { HOST: '127.0.0.1', QUEUE_PREFIX: 'iqt-healthz', LOG_LEVEL: 'info' };

it('answers /healthz 200 and /readyz 503 until Redis comes up, then /readyz 200', async () => {
  const redisPort = await freePort();
  const [workerPort, dispatcherPort] = [await freePort(), await freePort()];
  const env = { ...base, REDIS_URL: `redis://127.0.0.1:${redisPort}` };
  apps.push(
    spawnApp('start:worker', { ...env, METRICS_PORT: String(workerPort) }),
    spawnApp('start:dispatcher', { ...env, METRICS_PORT: String(dispatcherPort) }),
  );
  const urls = [`http://127.0.0.1:${workerPort}`, `http://127.0.0.1:${dispatcherPort}`];
  await waitFor(
    async () =>
      (await Promise.all(urls.map((u) => statusOf(`${u}/healthz`)))).every((s) => s === 200) ? true : undefined,
    30_000,
    100,
  );
  for (const u of urls) expect(await statusOf(`${u}/readyz`)).toBe(503);
  // The worker cannot collect its metrics yet; it says so instead of hanging the scrape.
  expect(await statusOf(`${urls[0]}/metrics`)).toBe(503);

  redis = spawn(
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  await waitFor(
    async () =>
      (await Promise.all(urls.map((u) => statusOf(`${u}/readyz`)))).every((s) => s === 200) ? true : undefined,
    30_000,
    200,
  );
  await apps[0]?.waitForOutput(/worker started/, 10_000);
  expect(await statusOf(`${urls[0]}/metrics`)).toBe(200);
}, 90_000);

it('does the same on unreachable Redis Cluster nodes', async () => {
  const port = await freePort();
  const nodes = `127.0.0.1:${await freePort()},127.0.0.1:${await freePort()}`;
  apps.push(spawnApp('start:worker', { ...base, REDIS_CLUSTER_NODES: nodes, METRICS_PORT: String(port) }));
  await waitFor(
    async () => ((await statusOf(`http://127.0.0.1:${port}/healthz`)) === 200 ? true : undefined),
    30_000,
    100,
  );
  expect(await statusOf(`http://127.0.0.1:${port}/readyz`)).toBe(503);
}, 60_000);

it('exits 1 naming QUEUE_PREFIX when it holds a brace', async () => {
  const app = spawnApp('start:worker', { ...base, QUEUE_PREFIX: '{inferq}', METRICS_PORT: '0' });
  apps.push(app);
  expect(await app.exited).toBe(1);
  expect(app.output()).toMatch(/QUEUE_PREFIX: .*no \{ or \}/);
}, 60_000);
