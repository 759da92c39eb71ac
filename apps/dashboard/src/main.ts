import { ConfigError, createLogger } from '@inferq/core';
import { dashboardConfigFromProcessEnv } from './env';
import { startDashboard } from './start-dashboard';

/** `npm run start:dashboard`: env only; SIGTERM/SIGINT drain and exit 0. */
async function main(): Promise<void> {
  const config = dashboardConfigFromProcessEnv();
  const logger = createLogger(config.LOG_LEVEL, 'dashboard');
  const dashboard = await startDashboard(config, { logger });
  const stop = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'draining');
    dashboard.close().then(
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
