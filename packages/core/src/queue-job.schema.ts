import { z } from 'zod';
import type { Priority } from './job-request.schema';
import { WebhookEventName } from './job-request.schema';

/**
 * What a pool queue's BullMQ job carries. Small on purpose: the request itself
 * lives in the job record, which the worker reads as it marks the job running.
 * Parsed again with safeParse when dequeued. `level`, `estimate` and `weight`
 * are what the fair scheduler charged when it picked the job: the worker hands
 * them back with its finish, which then needs no read of its in-flight entry
 * (absent from jobs added before they were written).
 */
export const QueueJobData = z.object({
  id: z.string(),
  tenant: z.string(),
  model: z.string(),
  level: z.number().int().min(0).max(2).optional(),
  estimate: z.number().optional(),
  weight: z.number().positive().optional(),
});
export type QueueJobData = z.infer<typeof QueueJobData>;

/** The scheduler's levels, in order of service: level n is PRIORITY_LEVELS[n]. */
export const PRIORITY_LEVELS: readonly Priority[] = ['high', 'normal', 'low'];
const LEVEL_OF: Record<Priority, number> = { high: 0, normal: 1, low: 2 };
export function priorityLevel(p: Priority): number {
  return LEVEL_OF[p];
}

/** What a job of the webhook queue carries; parsed again with safeParse when dequeued. */
export const DeliveryJobData = z.object({
  job: z.string(),
  tenant: z.string(),
  event: WebhookEventName,
  /** The `webhook-id` header: the same on every attempt and redelivery of the event. */
  webhookId: z.string(),
  url: z.string(),
  /** The exact JSON body every attempt sends ('' when it is kept compressed in `bodyZ`). */
  body: z.string(),
  /** A large body, compressed and base64-encoded (the store's webhooks/delivery-body.ts). */
  bodyZ: z.string().optional(),
});
export type DeliveryJobData = z.infer<typeof DeliveryJobData>;
