import type { JobIdParams, RedeliveryAccepted } from '@inferq/core';
import { ConflictError, isTerminal, WebhookEventName, webhookEventType } from '@inferq/core';
import { requestRedelivery, webhookMessageId } from '@inferq/store';
import type { ApiDeps } from '../deps';
import type { HandlerContext, HandlerResult } from '../route';
import { readOwnJob } from './job-access';

/**
 * POST /v1/jobs/{id}/webhook/redeliver: sends the job's terminal event again
 * (same `webhook-id`, so receivers can deduplicate). The api only writes the
 * request to the webhook outbox; the dispatcher delivers it. 202; 409 while
 * the job is not finished, has no webhook, or its webhook skips that event.
 */
export function redeliverWebhookHandler(deps: ApiDeps) {
  return async (ctx: HandlerContext<JobIdParams>): Promise<HandlerResult> => {
    const { record } = await readOwnJob(deps.store, ctx.params.id, ctx.tenant);
    if (!isTerminal(record.status))
      throw new ConflictError(`job ${record.id} is ${record.status}; only a finished job's event can be redelivered`);
    if (!record.webhook) throw new ConflictError(`job ${record.id} was submitted without a webhook`);
    const event = WebhookEventName.parse(record.status);
    const type = webhookEventType(event);
    if (!record.webhook.events.includes(event))
      throw new ConflictError(`job ${record.id}'s webhook does not subscribe to ${type}`);
    const at = record.completed_at ? Date.parse(record.completed_at) : Date.now();
    await requestRedelivery(deps.redis, deps.config.QUEUE_PREFIX, { job: record.id, event, at });
    const body: RedeliveryAccepted = { id: record.id, type, webhook_id: webhookMessageId(record.id, event) };
    return { status: 202, body };
  };
}
