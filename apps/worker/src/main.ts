import { createLogger, runMain } from '@inferq/core';
import { workerConfigFromProcessEnv } from './env';
import { startWorker } from './index';

/** `npm run start:worker`: env only; SIGTERM/SIGINT finish or hand back in-flight jobs, then exit 0. */
runMain(async () => {
  const config = workerConfigFromProcessEnv();
  const logger = createLogger(config.LOG_LEVEL, 'worker');
  return { app: await startWorker(config, { logger }), logger };
});
