import { ConfigError } from './env';
import type { Logger } from './logger';

export interface Closable {
  close(): Promise<void>;
}

/**
 * The body of every app's main.ts: start it, drain on SIGTERM or SIGINT and
 * exit 0, or exit 1 with the message when the configuration is bad (a
 * ConfigError names the variable) or the start fails.
 */
export function runMain(start: () => Promise<{ app: Closable; logger?: Logger }>): void {
  start().then(
    ({ app, logger }) => {
      let stopping = false;
      const stop = (signal: NodeJS.Signals): void => {
        if (stopping) return;
        stopping = true;
        logger?.info({ signal }, 'draining');
        app.close().then(
          () => process.exit(0),
          (err: unknown) => {
            logger?.error({ err }, 'close failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof ConfigError ? err.message : String(err instanceof Error ? err.stack : err)}\n`);
      process.exit(1);
    },
  );
}
