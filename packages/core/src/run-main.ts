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
      process.stderr.write(`${startFailure(err)}\n`);
      process.exit(1);
    },
  );
}

/** What a failed start prints: the configuration problem, a taken port in words, or the stack. */
function startFailure(err: unknown): string {
  if (err instanceof ConfigError) return err.message;
  const e = err as { code?: unknown; port?: unknown; address?: unknown } | undefined;
  if (e?.code === 'EADDRINUSE') {
    return `port ${String(e.port)} on ${String(e.address)} is already in use: stop what holds it, or choose other ports with PORT, DASHBOARD_PORT and METRICS_PORT`;
  }
  return String(err instanceof Error ? err.stack : err);
}
