import { loadApiConfig, startApi } from '@inferq/api';
import type { StartedApi } from '@inferq/api';
import { testRedisUrl } from '@inferq/testkit';
import { loadWorkerConfig, startWorker } from '@inferq/worker';
import type { RunningWorker } from '@inferq/worker';

export interface ApiAndWorker {
  api: StartedApi;
  worker: RunningWorker;
  /** The whole env both were started with, for starting more of the system alongside. */
  env: Record<string, string>;
  /** Closes the api, then the worker; the prefix is the caller's to drop. */
  close(): Promise<void>;
}

/** The api and a worker as npm start wires them (no dispatcher), over real Redis under `prefix`. */
export async function startApiAndWorker(prefix: string, env: Record<string, string>): Promise<ApiAndWorker> {
  const all = {
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: prefix,
    HOST: '127.0.0.1',
    PORT: '0',
    METRICS_PORT: '0',
    LOG_LEVEL: 'silent',
    ...env,
  };
  const worker = await startWorker(loadWorkerConfig(all));
  const api = await startApi(loadApiConfig(all));
  return {
    api,
    worker,
    env: all,
    async close() {
      await api.close();
      await worker.close();
    },
  };
}
