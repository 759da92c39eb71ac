import { ConfigError, createLogger } from '@inferq/core';
import { apiConfigFromProcessEnv } from './env';
import { startApi } from './start-api';

/** `npm run start:api`: env only; SIGTERM/SIGINT drain and exit 0. */
async function main(): Promise<void> {
  const config = apiConfigFromProcessEnv();
  const logger = createLogger(config.LOG_LEVEL, 'api');
  const api = await startApi(config, { logger });
  const stop = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'draining');
    api.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'close failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `${err instanceof ConfigError ? err.message : String(err instanceof Error ? err.stack : err)}\n`,
  );
  process.exit(1);
});
