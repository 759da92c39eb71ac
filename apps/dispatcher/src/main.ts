import { createLogger, runMain } from '@inferq/core';
import { dispatcherConfigFromProcessEnv } from './env';
import { startDispatcher } from './index';

/** `npm run start:dispatcher`: env only; SIGTERM/SIGINT let attempts in flight finish, then exit 0. */
runMain(async () => {
  const config = dispatcherConfigFromProcessEnv();
  const logger = createLogger(config.LOG_LEVEL, 'dispatcher');
  return { app: await startDispatcher(config, { logger }), logger };
});
