/**
 * The API's types, taken from @inferq/core as types only: the client and the
 * server share one definition, and the SDK loads none of core's runtime.
 */
import type { ErrorCode, ErrorDetail, JobRecord, JobStatus } from '@inferq/core';

export type {
  BackendKind,
  ErrorCode,
  ErrorDetail,
  FailureCode,
  JobAccepted,
  JobError,
  JobInput,
  JobList,
  JobOutput,
  JobRecord,
  JobRequestInput,
  JobStatus,
  Message,
  Priority,
  Usage,
  BatchObject,
  BatchStatus,
  FileObject,
  BatchOutputLine,
} from '@inferq/core';

export interface ErrorBodyShape {
  error: { code: ErrorCode; message: string; details?: ErrorDetail[] };
}

/** One model of GET /v1/models. */
export interface Model {
  id: string;
  backend: string;
  pool: string;
}

/** An event of GET /v1/jobs/{id}/events, by its SSE event name; `id` is the SSE id to resume after. */
export type JobEvent =
  | { type: 'status'; id: string; data: { status: JobStatus } }
  | { type: 'token'; id: string; data: { text: string } }
  | { type: 'done'; id: string; data: JobRecord };

/** The body of a webhook delivery (SPEC section 6). */
export interface WebhookEvent {
  type: 'job.running' | 'job.succeeded' | 'job.failed' | 'job.canceled';
  timestamp: string;
  data: JobRecord;
}
