// The public API of @inferq/core, by name: contracts (schemas shared by api, worker, dispatcher,
// client and the OpenAPI document), errors, config helpers and Redis key names.

// Errors: one closed set of codes, one error body, the HTTP mapping (inferq's shape and OpenAI's).
export {
  AppError,
  BudgetExceededError,
  ConflictError,
  errorBody,
  ErrorBody,
  ErrorCode,
  ErrorDetail,
  ForbiddenError,
  IdempotencyMismatchError,
  JobFailedError,
  mapError,
  ModelNotFoundError,
  NotFoundError,
  PayloadTooLargeError,
  QueueFullError,
  RateLimitedError,
  toErrorResponse,
  UnauthorizedError,
  UnavailableError,
  UnsupportedMediaTypeError,
  ValidationError,
  WaitTimeoutError,
} from './errors';
export type { ErrorResponse, MappedError } from './errors';
export { OpenAIErrorBody, renderError, toOpenAIErrorResponse } from './openai-error';
export type { ErrorStyle } from './openai-error';
export { assertNever, FailureCode, isRetryable } from './failure-codes';

// Contracts: requests, job records, events, answers, webhooks, queues.
export {
  JobInput,
  JobParams,
  JobRequest,
  Message,
  MessagesInput,
  Metadata,
  ModelId,
  Priority,
  PromptInput,
  Role,
  toMessages,
  WebhookEventName,
  WebhookRequest,
} from './job-request.schema';
export type { JobRequestInput } from './job-request.schema';
export {
  Delivery,
  FinishReason,
  isTerminal,
  JobAccepted,
  JobError,
  JobLinks,
  JobList,
  JobOutput,
  JobRecord,
  JobStatus,
  QueuePosition,
  TERMINAL_STATUSES,
  Timings,
  Usage,
} from './job-record.schema';
export { JobEventName, StatusEventData, TokenEventData } from './job-events.schema';
export type { JobEvent } from './job-events.schema';
export {
  BatchIdParams,
  CreateKeyBody,
  FileIdParams,
  GetJobQuery,
  JobIdParams,
  KeyIdParams,
  LimitsPatchBody,
  ListBatchesQuery,
  ListFilesQuery,
  ListJobsQuery,
  ListKeysQuery,
  MAX_USAGE_DAYS,
  TenantParams,
  UsageQuery,
} from './api-requests.schema';
export {
  ApiKeyCreated,
  ApiKeyInfo,
  ApiKeyList,
  HealthStatus,
  Model,
  ModelList,
  ReadyStatus,
  RedeliveryAccepted,
  RotatedSecret,
  UsageReport,
  UsageRow,
  WebhookSecret,
} from './api-responses.schema';
export { PoolBacklog, PoolBacklogList, poolBacklogView, TenantBacklogView } from './pool-backlog.schema';
export type { PoolStatsSource } from './pool-backlog.schema';
export { webhookEventType, WebhookEventType, WebhookPayload } from './webhook-payload.schema';
export { DeliveryJobData, PRIORITY_LEVELS, priorityLevel, QueueJobData } from './queue-job.schema';
export { QUEUES } from './queue-catalog';
export type { QueueBackoff, QueueCatalog, QueueJobOptions, QueueSpec } from './queue-catalog';
export { WorkerHeartbeat } from './worker-heartbeat.schema';
export { BackendKind, ModelCatalog, ModelsFile, ModelSpec, PoolName, SIM_MODEL_ID } from './models';
export type { ResolvedModel } from './models';
export {
  DEFAULT_PAYLOAD_LIMITS,
  jobInputSchema,
  jobRequestSchema,
  messageSchema,
  overBodyLimit,
  payloadLimits,
} from './payload-limits';
export type { PayloadLimits } from './payload-limits';

// The OpenAI-compatible chat facade (SPEC section 10).
export {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatFinishReason,
  ChatUsage,
} from './openai-chat.schema';
export type { ChatCompletionRequestInput, ChatMessage } from './openai-chat.schema';
export {
  chatCompletionFromRecord,
  chatCompletionId,
  chatFinishReason,
  chatRequestToJob,
  chatUsage,
  finishChunk,
  priorityOfServiceTier,
  roleChunk,
  tokenChunk,
  unixSeconds,
  usageChunk,
} from './openai-chat';
export type { ChunkBase } from './openai-chat';

// The Batch API and its files.
export {
  BATCH_ENDPOINT,
  BATCH_LIMITS,
  BatchInputLine,
  BatchLineError,
  BatchList,
  BatchMetadata,
  BatchObject,
  BatchOutputLine,
  BatchStatus,
  CompletionWindow,
  completionWindowMs,
  CreateBatchBody,
  FileDeleted,
  FileList,
  FileObject,
  FilePurpose,
  isTerminalBatch,
  RequestCounts,
  TERMINAL_BATCH_STATUSES,
} from './batch.schema';
export {
  BATCH_ID_PATTERN,
  batchJobId,
  batchRequestId,
  FILE_ID_PATTERN,
  fileIdLowerBound,
  newBatchId,
  newFileId,
} from './batch-ids';

// Config, keys, ids and small helpers.
export {
  ConfigError,
  envBytes,
  envClusterNodes,
  envDurationMs,
  envInt,
  envList,
  envOptionalSecret,
  LogLevel,
  parseEnv,
  parseEnvOrExit,
  SharedEnv,
} from './env';
export type { RedisClusterNode } from './env';
export { ApiKeysEnv, ApiKeyText, TenantId } from './api-keys';
export { poolOfQueue, poolQueueName, poolTag, queuePrefix, redisKeys, schedulerKeys, WEBHOOK_QUEUE } from './keys';
export type { RedisKeys, SchedulerKeys } from './keys';
export { JOB_ID_PATTERN, jobIdLowerBound, jobIdTime, jobPool, newJobId } from './ids';
export { iso, parseBytes, parseDurationMs } from './units';
export { DEFAULT_MAX_BODY_BYTES, LIMITS } from './limits';
export { safeText } from './text';
export { canonicalJson, sha256Hex } from './canonical-json';
export { createLogger, REDACT_PATHS, turnBatchedLogger } from './logger';
export type { Logger } from './logger';
export { runMain } from './run-main';
export type { Closable } from './run-main';
export { parseRetryAfterMs } from './retry-after';
export { TurnBatcher } from './turn-batcher';
export { TurnQueue } from './turn-queue';
export type { BatchShare } from './turn-batcher';
export { estimateTokens, DEFAULT_OUTPUT_ESTIMATE } from './token-estimate';
