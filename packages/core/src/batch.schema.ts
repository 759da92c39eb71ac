import { z } from 'zod';
import { safeText } from './text';
import { parseDurationMs } from './units';

/** Caps of the Batch API (SPEC section 11). */
export const BATCH_LIMITS = {
  /** Requests (non-blank lines) in one input file. */
  maxLines: 50_000,
  /** A custom_id becomes job metadata, so it has the cap of a metadata value. */
  customIdChars: 512,
  /** Longest completion window: OpenAI's 24 h. */
  maxWindowMs: 24 * 3_600_000,
  /** Line errors kept on a failed batch (`errors.data`); a file may have many more. */
  maxLineErrors: 1000,
} as const;

export const BATCH_ENDPOINT = '/v1/chat/completions';

export const BatchStatus = z.enum([
  'validating',
  'in_progress',
  'finalizing',
  'completed',
  'failed',
  'expired',
  'cancelling',
  'cancelled',
]);
export type BatchStatus = z.infer<typeof BatchStatus>;

export const TERMINAL_BATCH_STATUSES: readonly BatchStatus[] = ['completed', 'failed', 'expired', 'cancelled'];
export function isTerminalBatch(status: BatchStatus): boolean {
  return TERMINAL_BATCH_STATUSES.includes(status);
}

/**
 * `completion_window`: OpenAI's `24h`, and (an inferq extension, for tests
 * and operators) any shorter duration such as `1h`, `30m` or `60s`.
 */
export const CompletionWindow = z
  .string()
  .max(16)
  .refine((s) => /^\d+(s|m|h)$/.test(s), 'must be a duration in s, m or h, such as 24h, 1h or 60s')
  .refine((s) => {
    const ms = parseDurationMs(s) ?? 0;
    return ms >= 1000 && ms <= BATCH_LIMITS.maxWindowMs;
  }, 'must be between 1s and 24h');

export function completionWindowMs(window: string): number {
  return parseDurationMs(window) ?? BATCH_LIMITS.maxWindowMs;
}

/** OpenAI's metadata: up to 16 string pairs. */
export const BatchMetadata = z
  .record(z.string().min(1).max(64), safeText(512))
  .refine((m) => Object.keys(m).length <= 16, { message: 'at most 16 keys' });

/** POST /v1/batches. Unknown fields are ignored, as OpenAI ignores them. */
export const CreateBatchBody = z.object({
  input_file_id: z.string().min(1).max(128),
  endpoint: z.literal(BATCH_ENDPOINT, { message: `must be ${BATCH_ENDPOINT}` }),
  completion_window: CompletionWindow,
  metadata: BatchMetadata.nullish(),
});
export type CreateBatchBody = z.output<typeof CreateBatchBody>;

export const BatchLineError = z.object({
  code: z.string(),
  message: z.string(),
  param: z.string().nullable(),
  /** 1-based line of the input file; null for errors of the whole file. */
  line: z.number().int().nullable(),
});
export type BatchLineError = z.infer<typeof BatchLineError>;

export const RequestCounts = z.object({
  total: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
});

/** OpenAI's batch object; times in Unix seconds. */
export const BatchObject = z.object({
  id: z.string(),
  object: z.literal('batch'),
  endpoint: z.string(),
  errors: z.object({ object: z.literal('list'), data: z.array(BatchLineError) }).nullable(),
  input_file_id: z.string(),
  completion_window: z.string(),
  status: BatchStatus,
  output_file_id: z.string().nullable(),
  error_file_id: z.string().nullable(),
  created_at: z.number().int(),
  in_progress_at: z.number().int().nullable(),
  expires_at: z.number().int(),
  finalizing_at: z.number().int().nullable(),
  completed_at: z.number().int().nullable(),
  failed_at: z.number().int().nullable(),
  expired_at: z.number().int().nullable(),
  cancelling_at: z.number().int().nullable(),
  cancelled_at: z.number().int().nullable(),
  request_counts: RequestCounts,
  metadata: z.record(z.string(), z.string()).nullable(),
});
export type BatchObject = z.infer<typeof BatchObject>;

export const BatchList = z.object({
  object: z.literal('list'),
  data: z.array(BatchObject),
  first_id: z.string().nullable(),
  last_id: z.string().nullable(),
  has_more: z.boolean(),
});
export type BatchList = z.infer<typeof BatchList>;

export const FilePurpose = z.enum(['batch', 'batch_output']);
export type FilePurpose = z.infer<typeof FilePurpose>;

/** OpenAI's file object; times in Unix seconds. */
export const FileObject = z.object({
  id: z.string(),
  object: z.literal('file'),
  bytes: z.number().int(),
  created_at: z.number().int(),
  expires_at: z.number().int(),
  filename: z.string(),
  purpose: FilePurpose,
  status: z.literal('processed'),
});
export type FileObject = z.infer<typeof FileObject>;

export const FileList = z.object({
  object: z.literal('list'),
  data: z.array(FileObject),
  first_id: z.string().nullable(),
  last_id: z.string().nullable(),
  has_more: z.boolean(),
});
export type FileList = z.infer<typeof FileList>;

export const FileDeleted = z.object({ id: z.string(), object: z.literal('file'), deleted: z.literal(true) });

/** One line of an input file (the body is checked by the chat translation). */
export const BatchInputLine = z.object({
  custom_id: safeText(BATCH_LIMITS.customIdChars).min(1),
  method: z.string(),
  url: z.string(),
  body: z.record(z.string(), z.unknown()),
});
export type BatchInputLine = z.infer<typeof BatchInputLine>;

/** A line of the output file (status 200) or of the error file (`response: null`). */
export const BatchOutputLine = z.object({
  id: z.string(),
  custom_id: z.string(),
  response: z.object({ status_code: z.number().int(), request_id: z.string(), body: z.unknown() }).nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type BatchOutputLine = z.infer<typeof BatchOutputLine>;
