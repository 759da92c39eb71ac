import { createLogger, runMain } from '@inferq/core';
import { apiConfigFromProcessEnv } from './env';
import { startApi } from './start-api';

/** `npm run start:api`: env only; SIGTERM/SIGINT drain and exit 0. */
runMain(async () => {
  const config = apiConfigFromProcessEnv();
  const logger = createLogger(config.LOG_LEVEL, 'api');
  return { app: await startApi(config, { logger }), logger };
});
