import { loadApiConfig, startApi } from '@inferq/api';
import { dropPrefix, testPrefix, testRedisUrl } from '@inferq/testkit';
import { loadWorkerConfig, startWorker } from '@inferq/worker';

export const TEST_KEY = 'cli_test_key_0123456789ab';
/** A tenant of its own for the batch test, so it can count exactly the jobs the batch created. */
export const BATCH_KEY = 'cli_batch_key_0123456789ab';

export interface Stack {
  url: string;
  prefix: string;
  close(): Promise<void>;
}

/** A real api and worker (sim backend) over real Redis, under a prefix of their own. */
export async function startStack(name: string, env: Record<string, string> = {}): Promise<Stack> {
  const prefix = testPrefix(name);
  const all = {
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: prefix,
    HOST: '127.0.0.1',
    PORT: '0',
    METRICS_PORT: '0',
    API_KEYS: `acme:${TEST_KEY},batch:${BATCH_KEY}`,
    LOG_LEVEL: 'silent',
    SIM_TTFT_MS: '20',
    SIM_TOKEN_MS: '5',
    ...env,
  };
  const worker = await startWorker(loadWorkerConfig(all));
  const api = await startApi(loadApiConfig(all));
  return {
    url: api.url,
    prefix,
    async close() {
      await api.close();
      await worker.close();
      await dropPrefix(prefix);
    },
  };
}
