import { z } from 'zod';
import { Priority } from './job-request.schema';
import { PRIORITY_LEVELS } from './queue-job.schema';

/** One tenant's backlog at one priority level of a pool (SPEC section 9). */
export const TenantBacklogView = z.object({
  tenant: z.string(),
  priority: Priority,
  queued: z.number().int().nonnegative(),
  /** Tokens charged / weight so far: the lowest goes next within its level. */
  virtual_time: z.number(),
  /** The weight its oldest job was submitted with (the next pick charges by it). */
  weight: z.number().positive().optional(),
  /** Seconds its oldest job has waited. */
  oldest_queued_s: z.number().nonnegative().nullable(),
});
export type TenantBacklogView = z.infer<typeof TenantBacklogView>;

/**
 * A pool's fair-scheduler state for operators: `GET /v1/admin/pools` and the
 * dashboard's fleet page. `queued` counts jobs in the tenants' backlogs (not
 * yet handed to BullMQ); `in_flight` those handed over and not finished.
 */
export const PoolBacklog = z.object({
  pool: z.string(),
  /** Slots of the live workers serving the pool. */
  capacity: z.number().int().nonnegative(),
  in_flight: z.number().int().nonnegative(),
  queued: z.object({
    high: z.number().int().nonnegative(),
    normal: z.number().int().nonnegative(),
    low: z.number().int().nonnegative(),
  }),
  /** Seconds the pool's oldest backlogged job has waited; null when nothing is queued. */
  oldest_queued_s: z.number().nonnegative().nullable(),
  tenants: z.array(TenantBacklogView),
});
export type PoolBacklog = z.infer<typeof PoolBacklog>;

export const PoolBacklogList = z.object({ data: z.array(PoolBacklog) });
export type PoolBacklogList = z.infer<typeof PoolBacklogList>;

/** What the view needs of a pool's scheduler state (the store's PoolStats fits as is). */
export interface PoolStatsSource {
  pool: string;
  capacity: number;
  inFlight: number;
  backlogs: ReadonlyArray<{
    tenant: string;
    level: number;
    virtualTime: number;
    queued: number;
    oldestAt: number | null;
    weight: number | null;
  }>;
}

/** Seconds from `at` to `now` (ms), to 0.001 s; null when there is nothing. */
const waited = (at: number | null, now: number): number | null =>
  at === null ? null : Math.max(0, Math.round(now - at)) / 1000;

/** The operator's view of a pool: its tenants' backlogs in order of service (level, then least virtual time). */
export function poolBacklogView(stats: PoolStatsSource, now = Date.now()): PoolBacklog {
  const queued = { high: 0, normal: 0, low: 0 };
  let oldest: number | null = null;
  const tenants = stats.backlogs.map((b): TenantBacklogView => {
    const priority = PRIORITY_LEVELS[b.level] ?? 'normal';
    queued[priority] += b.queued;
    if (b.oldestAt !== null && (oldest === null || b.oldestAt < oldest)) oldest = b.oldestAt;
    return {
      tenant: b.tenant,
      priority,
      queued: b.queued,
      virtual_time: b.virtualTime,
      ...(b.weight === null ? {} : { weight: b.weight }),
      oldest_queued_s: waited(b.oldestAt, now),
    };
  });
  return {
    pool: stats.pool,
    capacity: stats.capacity,
    in_flight: stats.inFlight,
    queued,
    oldest_queued_s: waited(oldest, now),
    tenants,
  };
}
