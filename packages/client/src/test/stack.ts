import { loadApiConfig, startApi } from '@inferq/api';
import { loadDispatcherConfig, startDispatcher } from '@inferq/dispatcher';
import { dropPrefix, testPrefix, testRedisUrl } from '@inferq/testkit';
import { loadWorkerConfig, startWorker } from '@inferq/worker';

export const TEST_KEY = 'client_test_key_0123456789';

export interface Stack {
  url: string;
  prefix: string;
  close(): Promise<void>;
}

/** A real api and worker (sim backend) over real Redis, under a prefix of their own. */
export async function startStack(
  name: string,
  env: Record<string, string> = {},
  withDispatcher = false,
): Promise<Stack> {
  const prefix = testPrefix(name);
  const all = {
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: prefix,
    HOST: '127.0.0.1',
    PORT: '0',
    METRICS_PORT: '0',
    API_KEYS: `acme:${TEST_KEY}`,
    LOG_LEVEL: 'silent',
    SIM_TTFT_MS: '20',
    SIM_TOKEN_MS: '5',
    ...env,
  };
  const worker = await startWorker(loadWorkerConfig(all));
  const api = await startApi(loadApiConfig(all));
  const dispatcher = withDispatcher ? await startDispatcher(loadDispatcherConfig(all)) : undefined;
  return {
    url: api.url,
    prefix,
    async close() {
      await api.close();
      await worker.close();
      await dispatcher?.close();
      await dropPrefix(prefix);
    },
  };
}
