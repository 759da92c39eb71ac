export { startApiAndWorker } from './api-and-worker';
export type { ApiAndWorker } from './api-and-worker';
export { startStack } from './stack';
export type { Stack } from './stack';
