import { createLogger, runMain } from '@inferq/core';
import { dashboardConfigFromProcessEnv } from './env';
import { startDashboard } from './start-dashboard';

/** `npm run start:dashboard`: env only; SIGTERM/SIGINT drain and exit 0. */
runMain(async () => {
  const config = dashboardConfigFromProcessEnv();
  const logger = createLogger(config.LOG_LEVEL, 'dashboard');
  return { app: await startDashboard(config, { logger }), logger };
});
