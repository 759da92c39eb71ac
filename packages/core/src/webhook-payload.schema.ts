import { z } from 'zod';
import { JobRecord } from './job-record.schema';
import type { WebhookEventName } from './job-request.schema';

/** `type` of a webhook delivery (SPEC section 6). Stable strings: receivers switch on them. */
export const WebhookEventType = z.enum(['job.running', 'job.succeeded', 'job.failed', 'job.canceled']);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** The body the dispatcher POSTs: the event, when it happened, and the job record. */
export const WebhookPayload = z.object({
  type: WebhookEventType,
  timestamp: z.string(),
  data: JobRecord,
});
export type WebhookPayload = z.infer<typeof WebhookPayload>;

export function webhookEventType(event: WebhookEventName): WebhookEventType {
  return `job.${event}`;
}
