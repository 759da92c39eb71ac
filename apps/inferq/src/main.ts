import { runMain } from '@inferq/core';
import { banner } from './banner';
import { allInOneEnv } from './env';
import { startAll } from './index';

/** `npm start`: every app in one process; SIGTERM/SIGINT drain them all. */
runMain(async () => {
  const env = allInOneEnv();
  const all = await startAll(env);
  process.stdout.write(
    `${banner({
      apiUrl: all.apiUrl.replace('0.0.0.0', '127.0.0.1'),
      metricsPort: all.metricsPort,
      dashboardUrl: all.dashboardUrl,
      dispatcherMetricsPort: all.dispatcherMetricsPort,
      apiKey: env.INFERQ_DEV_API_KEY,
      adminToken: env.INFERQ_DEV_ADMIN_TOKEN,
    })}\n`,
  );
  return { app: all };
});
