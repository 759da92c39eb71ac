export { startApi } from './start-api';
export type { StartApiOptions, StartedApi } from './start-api';
export { createApiApp } from './app';
export { ApiEnv, loadApiConfig } from './env';
export type { ApiConfig } from './env';
export type { ApiDeps } from './deps';
export type { Authenticator } from './auth';
export type { UsageRow } from '@inferq/core';
