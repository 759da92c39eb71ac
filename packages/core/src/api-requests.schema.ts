import { z } from 'zod';
import { TenantId } from './api-keys';
import { FilePurpose } from './batch.schema';
import { JOB_ID_PATTERN } from './ids';
import { JobStatus } from './job-record.schema';

/**
 * The path, query and body schemas of the api's routes (the job request
 * itself is JobRequest). Query values arrive as strings, hence the coercions.
 */
export const JobIdParams = z.object({ id: z.string().max(128) });
export type JobIdParams = z.output<typeof JobIdParams>;

export const GetJobQuery = z.object({
  /** Long-poll: seconds to wait for a terminal status, 0 < wait <= 60. */
  wait: z.coerce.number().gt(0).max(60).optional(),
});
export type GetJobQuery = z.output<typeof GetJobQuery>;

export const ListJobsQuery = z.object({
  status: JobStatus.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().regex(JOB_ID_PATTERN, 'must be the next_cursor of a previous page').optional(),
});
export type ListJobsQuery = z.output<typeof ListJobsQuery>;

/** POST /v1/admin/keys. */
export const CreateKeyBody = z.strictObject({ tenant: TenantId });
export type CreateKeyBody = z.output<typeof CreateKeyBody>;

export const ListKeysQuery = z.object({ tenant: TenantId.optional() });
export type ListKeysQuery = z.output<typeof ListKeysQuery>;

export const KeyIdParams = z.object({ id: z.string().max(128) });
export type KeyIdParams = z.output<typeof KeyIdParams>;

export const TenantParams = z.object({ tenant: TenantId });
export type TenantParams = z.output<typeof TenantParams>;

/** A positive integer sets an override; null removes it; an absent field is left alone. */
const Override = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).nullable().optional();
/** PUT /v1/admin/tenants/{tenant}/limits (a patch of the overrides). */
export const LimitsPatchBody = z.strictObject({
  rate_limit_rpm: Override,
  max_queued: Override,
  daily_token_budget: Override,
  /** The tenant's fair share of each pool, relative to others (default 1). */
  weight: z.number().min(0.01).max(1000).nullable().optional(),
});
export type LimitsPatchBody = z.output<typeof LimitsPatchBody>;

/** Longest range one usage request may ask for (days). */
export const MAX_USAGE_DAYS = 366;

const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'is not a calendar date');

/** GET /v1/usage: both days inclusive, UTC; `to` defaults to today, `from` to `to`. */
export const UsageQuery = z.object({ from: Day.optional(), to: Day.optional() }).transform((q, ctx) => {
  const to = q.to ?? new Date().toISOString().slice(0, 10);
  const from = q.from ?? to;
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (days < 1) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after to' });
  else if (days > MAX_USAGE_DAYS)
    ctx.addIssue({ code: 'custom', path: ['from'], message: `ranges are at most ${MAX_USAGE_DAYS} days` });
  return { from, to };
});
export type UsageQuery = z.output<typeof UsageQuery>;

/** The Batch API's paths and queries (its bodies are in batch.schema.ts). */
export const FileIdParams = z.object({ id: z.string().max(128) });
export type FileIdParams = z.output<typeof FileIdParams>;

export const BatchIdParams = z.object({ id: z.string().max(128) });
export type BatchIdParams = z.output<typeof BatchIdParams>;

const PageLimit = z.coerce.number().int().min(1).max(100).default(20);
/** OpenAI's cursor: the id of the last item of the previous page. */
const After = z.string().max(128).optional();

export const ListFilesQuery = z.object({
  limit: PageLimit.default(100),
  after: After,
  purpose: FilePurpose.optional(),
});
export type ListFilesQuery = z.output<typeof ListFilesQuery>;

export const ListBatchesQuery = z.object({ limit: PageLimit, after: After });
export type ListBatchesQuery = z.output<typeof ListBatchesQuery>;
