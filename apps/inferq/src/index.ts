import { loadApiConfig, startApi } from '@inferq/api';
import { createLogger } from '@inferq/core';
import { loadDashboardConfig, startDashboard } from '@inferq/dashboard';
import { loadDispatcherConfig, startDispatcher } from '@inferq/dispatcher';
import { loadWorkerConfig, startWorker } from '@inferq/worker';

export interface AllInOne {
  apiUrl: string;
  metricsPort: number;
  /** Base URL of the dashboard; Bull Board is under /admin/queues. */
  dashboardUrl: string;
  /** Port of the webhook dispatcher's /healthz, /readyz and /metrics. */
  dispatcherMetricsPort: number;
  close(): Promise<void>;
}

/**
 * Every inferq process in one: what `npm start` runs. Each app parses the
 * same env with its own schema, exactly as its production process would.
 */
export async function startAll(env: Record<string, string | undefined>): Promise<AllInOne> {
  const apiConfig = loadApiConfig(env);
  const workerConfig = loadWorkerConfig(env);
  const dashboardConfig = loadDashboardConfig(env);
  // Worker and dispatcher share one METRICS_PORT variable; in one process the dispatcher takes the next port.
  const metricsPort = Number(env.METRICS_PORT);
  const dispatcherConfig = loadDispatcherConfig(
    metricsPort > 0 ? { ...env, METRICS_PORT: String(metricsPort + 1) } : env,
  );
  const logger = createLogger(apiConfig.LOG_LEVEL, 'inferq');
  const worker = await startWorker(workerConfig, { logger: logger.child({ app: 'worker' }) });
  const api = await startApi(apiConfig, { logger: logger.child({ app: 'api' }) });
  const dashboard = await startDashboard(dashboardConfig, { logger: logger.child({ app: 'dashboard' }) });
  const dispatcher = await startDispatcher(dispatcherConfig, { logger: logger.child({ app: 'dispatcher' }) });
  return {
    apiUrl: api.url,
    metricsPort: worker.metricsPort,
    dashboardUrl: dashboard.url,
    dispatcherMetricsPort: dispatcher.metricsPort,
    close: async () => {
      await dashboard.close();
      await api.close();
      await worker.close();
      await dispatcher.close();
    },
  };
}
