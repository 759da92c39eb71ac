import { z } from 'zod';
import { FailureCode } from './failure-codes';
import { Metadata, WebhookEventName } from './job-request.schema';

export const JobStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'canceled']);
export type JobStatus = z.infer<typeof JobStatus>;

export const TERMINAL_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'canceled'];
export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export const FinishReason = z.enum(['stop', 'length', 'content_filter', 'tool_calls', 'canceled', 'other']);
export type FinishReason = z.infer<typeof FinishReason>;

export const JobOutput = z.object({ text: z.string(), finish_reason: FinishReason });
export type JobOutput = z.infer<typeof JobOutput>;

export const Usage = z.object({ input_tokens: z.number().int(), output_tokens: z.number().int() });
export type Usage = z.infer<typeof Usage>;

export const JobError = z.object({ code: FailureCode, message: z.string(), retryable: z.boolean() });
export type JobError = z.infer<typeof JobError>;

export const Timings = z.object({
  queue_ms: z.number().nullable(),
  run_ms: z.number().nullable(),
  ttft_ms: z.number().nullable(),
});
export type Timings = z.infer<typeof Timings>;

export const Delivery = z.object({
  attempt: z.number().int(),
  at: z.string(),
  status_code: z.number().int().nullable(),
  ok: z.boolean(),
  duration_ms: z.number(),
  error: z.string().optional(),
  /** Which event the attempt delivered (running, succeeded, failed, canceled). */
  event: WebhookEventName.optional(),
});
export type Delivery = z.infer<typeof Delivery>;

/**
 * Where a queued job stands in its pool's order of service (SPEC section 9):
 * an estimate while it waits in a tenant backlog. `eta_s` is null until the
 * pool has a measured throughput.
 */
export const QueuePosition = z.object({
  position: z.number().int(),
  ahead: z.number().int(),
  eta_s: z.number().nullable(),
});
export type QueuePosition = z.infer<typeof QueuePosition>;

export const JobLinks = z.object({ self: z.string(), events: z.string(), cancel: z.string() });

/** GET /v1/jobs/{id}. */
export const JobRecord = z.object({
  id: z.string(),
  status: JobStatus,
  model: z.string(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  attempts: z.number().int(),
  output: JobOutput.nullable(),
  usage: Usage.nullable(),
  error: JobError.nullable(),
  timings: Timings,
  metadata: Metadata.nullable(),
  webhook: z.object({ url: z.string(), events: z.array(WebhookEventName), deliveries: z.array(Delivery) }).nullable(),
  cached: z.boolean().optional(),
  /** Present (true) once PAYLOAD_RETENTION has dropped the job's input and output text; `output` is then null. */
  expired: z.boolean().optional(),
  queue: QueuePosition.optional(),
});
export type JobRecord = z.infer<typeof JobRecord>;

/** 202 answer of POST /v1/jobs. */
export const JobAccepted = z.object({
  id: z.string(),
  status: JobStatus,
  model: z.string(),
  created_at: z.string(),
  links: JobLinks,
});
export type JobAccepted = z.infer<typeof JobAccepted>;

export const JobList = z.object({ data: z.array(JobRecord), next_cursor: z.string().nullable() });
export type JobList = z.infer<typeof JobList>;
