import { RedeliveryAccepted, RotatedSecret } from '@inferq/core';
import type { RouteDoc } from './openapi/route-doc';

/** OpenAPI docs of the webhook routes beyond SPEC section 4's table. */
export const WEBHOOK_ROUTE_DOCS = {
  rotate: {
    summary: 'Rotate your webhook signing secret',
    description:
      'Makes a new `whsec_` secret. For 24 h deliveries carry two signatures in `webhook-signature` ' +
      '(new and old, space-separated), so receivers can switch over without missing a delivery.',
    tags: ['webhooks'],
    responses: { 200: { description: 'The new secret.', schema: RotatedSecret } },
  },
  redeliver: {
    summary: "Send a finished job's webhook event again",
    description:
      'Queues the terminal event (`job.succeeded`, `job.failed` or `job.canceled`) for delivery again, with the ' +
      'same `webhook-id`. 409 while the job is not finished, has no webhook or does not subscribe to the event.',
    tags: ['webhooks'],
    responses: { 202: { description: 'Queued for delivery.', schema: RedeliveryAccepted } },
    errors: ['conflict'],
  },
} satisfies Record<string, RouteDoc>;
