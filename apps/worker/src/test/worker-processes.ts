import { spawnApp } from '@inferq/testkit';
import type { SpawnedApp } from '@inferq/testkit';

/** Real `npm run start:worker` processes over one prefix; `killAll` SIGKILLs whatever is left. */
export function workerProcesses(prefix: string) {
  const spawned: SpawnedApp[] = [];
  return {
    start(env: Record<string, string>): SpawnedApp {
      const app = spawnApp('start:worker', {
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        QUEUE_PREFIX: prefix,
        METRICS_PORT: '0',
        HOST: '127.0.0.1',
        SIM_TOKEN_MS: '0',
        ...env,
      });
      spawned.push(app);
      return app;
    },
    async killAll(): Promise<void> {
      for (const app of spawned) app.kill('SIGKILL');
      await Promise.all(spawned.map((a) => a.exited));
    },
  };
}
