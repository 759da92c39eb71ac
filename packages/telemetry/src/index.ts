export { startHealthServer } from './health-server';
export type { HealthServer } from './health-server';
