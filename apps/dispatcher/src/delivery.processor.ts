import { UnrecoverableError } from 'bullmq';
import type { Job } from 'bullmq';
import { DeliveryJobData, iso } from '@inferq/core';
import type { Delivery, Logger } from '@inferq/core';
import { unpackBody } from '@inferq/store';
import type { WebhookDeliveries, WebhookSecrets } from '@inferq/store';
import type { DispatcherMetrics } from '@inferq/telemetry';
import { signWebhook } from '@inferq/webhooks';
import type { EgressResult, WebhookEgress } from '@inferq/webhooks';
import { DeliveryRetryError } from './retry-schedule';

export interface DeliveryDeps {
  deliveries: WebhookDeliveries;
  secrets: WebhookSecrets;
  egress: WebhookEgress;
  metrics: DispatcherMetrics;
  logger: Logger;
}

/**
 * One delivery attempt: sign with the tenant's secret(s) at this moment, POST,
 * append the attempt to the job record, then decide. 2xx is done; 410 Gone
 * and a destination refused at connect time stop at once (UnrecoverableError);
 * anything else is retried on the schedule, not before a 429/503's Retry-After.
 */
export function createDeliveryProcessor(deps: DeliveryDeps) {
  return async (job: Job<DeliveryJobData>): Promise<{ status: number | null }> => {
    const parsed = DeliveryJobData.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid delivery job: ${parsed.error.message}`);
    const d = parsed.data;
    const attempt = job.attemptsMade + 1;
    const secrets = await deps.secrets.signingSecrets(d.tenant);
    const at = new Date();
    const body = await unpackBody(d);
    const headers = signWebhook({ id: d.webhookId, body, secrets, at });
    const res = await deps.egress.post(d.url, body, { ...headers });
    deps.metrics.delivery({ ok: res.ok, statusCode: res.status ?? undefined, ms: res.durationMs });

    const stop = res.status === 410 || res.blocked === true;
    const last = stop || attempt >= (job.opts.attempts ?? 1);
    await deps.deliveries.append(d.job, toDelivery(d, attempt, at, res, last));
    if (res.ok) return { status: res.status };
    deps.logger.info(
      { jobId: d.job, event: d.event, attempt, status: res.status, error: res.error, last },
      'webhook attempt failed',
    );
    if (stop) throw new UnrecoverableError(res.error ?? 'delivery refused');
    throw new DeliveryRetryError(res.error ?? 'delivery failed', res.retryAfterMs);
  };
}

function toDelivery(d: DeliveryJobData, attempt: number, at: Date, res: EgressResult, last: boolean): Delivery {
  const delivery: Delivery = {
    attempt,
    at: iso(at.getTime()),
    status_code: res.status,
    ok: res.ok,
    duration_ms: res.durationMs,
    event: d.event,
  };
  if (!res.ok) {
    const why = res.error ?? `HTTP ${res.status}`;
    delivery.error = last ? `${why}; no further attempts` : why;
  }
  return delivery;
}
