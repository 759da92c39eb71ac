import type { JobsOptions } from 'bullmq';
import { z } from 'zod';
import { WebhookEventName } from '@inferq/core';

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
  /** A large body, compressed and base64-encoded (delivery-body.ts). */
  bodyZ: z.string().optional(),
});
export type DeliveryJobData = z.infer<typeof DeliveryJobData>;

/** BullMQ's name for the custom backoff type the dispatcher's strategy serves. */
export const BACKOFF_TYPE = 'webhook-schedule';

/**
 * Options of every delivery job. Exhausted deliveries stay in the queue's
 * failed set (Bull Board) for a week; completed ones for a day.
 */
export function deliveryJobOptions(schedule: readonly number[]): JobsOptions {
  return {
    attempts: schedule.length + 1,
    backoff: { type: BACKOFF_TYPE },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600, count: 100_000 },
  };
}
