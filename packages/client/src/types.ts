/**
 * The API's types, taken from @inferq/core as types only: the client and the
 * server share one definition, and the SDK loads none of core's runtime.
 */
export type {
  ApiKeyCreated,
  ApiKeyInfo,
  BackendKind,
  BatchObject,
  BatchOutputLine,
  BatchStatus,
  ErrorBody,
  ErrorCode,
  ErrorDetail,
  FailureCode,
  FileObject,
  JobAccepted,
  JobError,
  JobEvent,
  JobInput,
  JobList,
  JobOutput,
  JobRecord,
  JobRequestInput,
  JobStatus,
  Message,
  Model,
  ModelList,
  Priority,
  UsageReport,
  UsageRow,
  Usage,
  /** The body of a webhook delivery (SPEC section 6). */
  WebhookPayload as WebhookEvent,
  WebhookPayload,
} from '@inferq/core';
