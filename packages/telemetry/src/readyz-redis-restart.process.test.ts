import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createRedis } from '@inferq/store';
import { freePort, spawnApp, waitFor } from '@inferq/testkit';
import type { SpawnedApp } from '@inferq/testkit';

// /readyz of api, worker and dashboard through a stop and a restart of a private
// Redis on a port of its own (the shared Redis on 6379 is never touched).
let redisPort: number;
let redis: ChildProcess | undefined;
const apps: SpawnedApp[] = [];

function startRedis(): ChildProcess {
  const child = spawn(
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  return child;
}

async function redisAnswers(): Promise<boolean> {
  const client = createRedis(`redis://127.0.0.1:${redisPort}`, 'request', {
    lazyConnect: true,
    retryStrategy: () => null,
  });
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function stopRedis(): Promise<void> {
  const client = createRedis(`redis://127.0.0.1:${redisPort}`, 'request', {
    lazyConnect: true,
    retryStrategy: () => null,
  });
  await client.connect();
  await client.call('SHUTDOWN', 'NOSAVE').catch(() => undefined); // the connection drops as it answers
  client.disconnect();
  if (redis && redis.exitCode === null) await new Promise((r) => redis?.once('exit', r));
}

const readyStatus = (url: string) =>
  fetch(`${url}/readyz`).then(
    (r) => r.status,
    () => 0,
  );

afterAll(async () => {
  for (const a of apps) a.kill('SIGKILL');
  await Promise.all(apps.map((a) => a.exited));
  redis?.kill('SIGKILL');
});

it('answers 503 while Redis is down and 200 again once it is back', async () => {
  redisPort = await freePort();
  redis = startRedis();
  await waitFor(async () => ((await redisAnswers()) ? true : undefined), 10_000, 50);
  const [apiPort, workerPort, dashPort] = [await freePort(), await freePort(), await freePort()];
  const env = {
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    QUEUE_PREFIX: 'iqt-readyz',
    HOST: '127.0.0.1',
    ADMIN_TOKEN: 'readyz_admin_token_0123456',
  };
  apps.push(
    spawnApp('start:api', { ...env, PORT: String(apiPort) }),
    spawnApp('start:worker', { ...env, METRICS_PORT: String(workerPort) }),
    spawnApp('start:dashboard', { ...env, DASHBOARD_PORT: String(dashPort) }),
  );
  await Promise.all(
    apps.map((a, i) => a.waitForOutput([/api listening/, /worker started/, /dashboard listening/][i], 30_000)),
  );
  // Every process checked the durability settings at start (this Redis runs without AOF).
  for (const a of apps) await a.waitForOutput(/appendonly is off/, 10_000);

  const urls = [`http://127.0.0.1:${apiPort}`, `http://127.0.0.1:${workerPort}`, `http://127.0.0.1:${dashPort}`];
  const all = async (status: number) =>
    (await Promise.all(urls.map(readyStatus))).every((s) => s === status) ? true : undefined;
  await waitFor(() => all(200), 20_000, 100);

  await stopRedis();
  await waitFor(() => all(503), 20_000, 100);
  for (const url of urls) expect((await fetch(`${url}/healthz`)).status).toBe(200);

  redis = startRedis();
  await waitFor(() => all(200), 30_000, 200);
}, 120_000);
