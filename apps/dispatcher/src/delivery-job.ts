import type { JobsOptions } from 'bullmq';
import { QUEUES } from '@inferq/core';

/** BullMQ's name for the custom backoff type the dispatcher's strategy serves. */
export const BACKOFF_TYPE = QUEUES.webhooks.backoff.type;

/** Options of every delivery job (the webhook queue's in the catalog), with the schedule's attempts. */
export function deliveryJobOptions(schedule: readonly number[]): JobsOptions {
  return { ...QUEUES.webhooks.jobOptions, attempts: schedule.length + 1, backoff: { type: BACKOFF_TYPE } };
}
