export { InferqClient } from './client';
export type { ClientOptions } from './http';
export type { CreateOptions, ListOptions, WaitOptions } from './jobs';
export { isTerminalStatus } from './jobs';
export { isTerminalBatch } from './batches';
export type { StreamOptions } from './job-stream';
export { verifyWebhook } from './webhooks';
export type { HeaderBag } from './webhooks';
export {
  InferqApiError,
  InferqConnectionError,
  InferqError,
  InferqTimeoutError,
  isApiError,
  WebhookVerificationError,
} from './errors';
export type * from './types';
export { parseSseStream } from './sse-parser';
export type { SseEvent } from './sse-parser';
