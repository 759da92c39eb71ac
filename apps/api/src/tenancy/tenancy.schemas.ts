import { z } from 'zod';
import { TenantId } from '@inferq/core';

/** Schemas of the admin and usage routes (issue #6). */
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

/** Both days inclusive, UTC; `to` defaults to today, `from` to `to`. */
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
