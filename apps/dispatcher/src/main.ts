import { ConfigError, createLogger } from '@inferq/core';
import { dispatcherConfigFromProcessEnv } from './env';
import { startDispatcher } from './index';

/** `npm run start:dispatcher`: env only; SIGTERM/SIGINT let attempts in flight finish, then exit 0. */
async function main(): Promise<void> {
  const config = dispatcherConfigFromProcessEnv();
  const logger = createLogger(config.LOG_LEVEL, 'dispatcher');
  const dispatcher = await startDispatcher(config, { logger });
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining');
    dispatcher.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'close failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : String(err instanceof Error ? err.stack : err)}\n`);
  process.exit(1);
});
