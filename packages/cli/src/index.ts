export { runCli, USAGE } from './cli';
export { loadCliEnv, UsageError, DEFAULT_URL } from './env';
export type { CliEnv } from './env';
export type { Io } from './io';
