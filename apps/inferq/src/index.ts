import { loadApiConfig, startApi } from '@inferq/api';
import { createLogger } from '@inferq/core';
import { loadWorkerConfig, startWorker } from '@inferq/worker';

export interface AllInOne {
  apiUrl: string;
  metricsPort: number;
  close(): Promise<void>;
}

/**
 * Every inferq process in one: what `npm start` runs. Each app parses the
 * same env with its own schema, exactly as its production process would.
 */
export async function startAll(env: Record<string, string | undefined>): Promise<AllInOne> {
  const apiConfig = loadApiConfig(env);
  const workerConfig = loadWorkerConfig(env);
  const logger = createLogger(apiConfig.LOG_LEVEL, 'inferq');
  const worker = await startWorker(workerConfig, { logger: logger.child({ app: 'worker' }) });
  const api = await startApi(apiConfig, { logger: logger.child({ app: 'api' }) });
  return {
    apiUrl: api.url,
    metricsPort: worker.metricsPort,
    close: async () => {
      await api.close();
      await worker.close();
    },
  };
}
