import { z } from 'zod';
import type { Priority } from './job-request.schema';

/**
 * What a pool queue's BullMQ job carries. Small on purpose: the request itself
 * lives in the job record, which the worker reads as it marks the job running.
 * Parsed again with safeParse when dequeued.
 */
export const QueueJobData = z.object({
  id: z.string(),
  tenant: z.string(),
  model: z.string(),
});
export type QueueJobData = z.infer<typeof QueueJobData>;

/** BullMQ priorities: lower runs first; every job gets one so the order is total. */
export const BULL_PRIORITY: Record<Priority, number> = { high: 1, normal: 2, low: 3 };

/** The scheduler's levels, in order of service: level n is PRIORITY_LEVELS[n]. */
export const PRIORITY_LEVELS: readonly Priority[] = ['high', 'normal', 'low'];
export function priorityLevel(p: Priority): number {
  return BULL_PRIORITY[p] - 1;
}
