import { readFileSync } from 'node:fs';
import { appPid } from './app-pid';
import { freePort } from './free-port';
import { spawnApp } from './spawn-app';
import type { SpawnedApp } from './spawn-app';
import { dropPrefix, testRedisUrl } from './test-redis';

export interface SpawnedTestApi {
  app: SpawnedApp;
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  /** Resident memory of the api's node process (MiB), from /proc. */
  rssMiB(): number;
  /** SIGKILL, then drop the prefix's keys. */
  close(): Promise<void>;
}

/**
 * A real `npm run start:api` on a free port over the test Redis under `prefix`,
 * with one tenant `acme` holding `apiKey`; resolves once it listens. For the
 * process-level tests that measure the api itself (load, memory).
 */
export async function spawnTestApi(
  prefix: string,
  apiKey: string,
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<SpawnedTestApi> {
  const port = await freePort();
  const app = spawnApp('start:api', {
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: prefix,
    HOST: '127.0.0.1',
    PORT: String(port),
    API_KEYS: `acme:${apiKey}`,
    LOG_LEVEL: 'info',
    ...env,
  });
  await app.waitForOutput(/api listening/, timeoutMs);
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    port,
    rssMiB: () => {
      const status = readFileSync(`/proc/${appPid(app)}/status`, 'utf8');
      return Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024);
    },
    close: async () => {
      app.kill('SIGKILL');
      await app.exited;
      await dropPrefix(prefix);
    },
  };
}
