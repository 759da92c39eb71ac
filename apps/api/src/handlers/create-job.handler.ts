import { canonicalJson, sha256Hex, ValidationError } from '@inferq/core';
import type { JobRequest } from '@inferq/core';
import type { ApiDeps } from '../deps';
import type { HandlerContext, HandlerResult, NoInput } from '../route';
import { idempotencyKeyOf } from '../tenancy/idempotency-key';
import { webhookUrlChecker } from '../webhook-url-check';
import { acceptedBody, readOwnJob } from './job-access';
import { submitJob } from './submit-job';

/**
 * POST /v1/jobs: 202 with the new job. With an Idempotency-Key, the first
 * request creates the job and every repeat with the same body within 24 h
 * answers 200 with that job and `Idempotent-Replayed: true`; without one no
 * idempotency round trip is made.
 */
export function createJobHandler(deps: ApiDeps) {
  const checkWebhookUrl = webhookUrlChecker(deps.config);
  return async (ctx: HandlerContext<NoInput, NoInput, JobRequest>): Promise<HandlerResult> => {
    const request = ctx.body;
    const model = deps.catalog.resolve(request.model);
    if (!model) {
      throw new ValidationError(`unknown model ${request.model}`, [
        { path: 'model', message: 'no such model on this deployment (see GET /v1/models)' },
      ]);
    }
    if (request.webhook) await checkWebhookUrl(request.webhook.url);
    const key = idempotencyKeyOf(ctx.headers);
    if (key === undefined)
      return { status: 202, body: await submitJob(deps, ctx.tenant, request, model, ctx.precheck) };

    // The parsed request (defaults applied, keys sorted) is what "the same body" means.
    const digest = sha256Hex(canonicalJson(request));
    const claim = await deps.tenancy.idempotency.claim(ctx.tenant, key, digest, ctx.signal);
    if (claim.kind === 'replay') {
      const { record } = await readOwnJob(deps.store, claim.jobId, ctx.tenant);
      return { status: 200, body: acceptedBody(record), headers: { 'Idempotent-Replayed': 'true' } };
    }
    try {
      const body = await submitJob(deps, ctx.tenant, request, model, ctx.precheck);
      await claim.commit(body.id);
      return { status: 202, body };
    } catch (err) {
      // The submit's own error is the answer; a key left pending makes its retries 409 until it expires.
      await claim
        .release()
        .catch((releaseErr: unknown) => deps.logger.warn({ err: releaseErr, key }, 'Idempotency-Key not released'));
      throw err;
    }
  };
}
