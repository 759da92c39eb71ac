import { canonicalJson, sha256Hex } from '@inferq/core';
import type { JobAccepted, JobRequest, ResolvedModel } from '@inferq/core';
import type { ApiDeps } from '../deps';
import type { HandlerContext } from '../route';
import { idempotencyKeyOf } from '../tenancy/idempotency-key';
import { acceptedBody, readOwnJob } from './job-access';
import { submitJob } from './submit-job';

export interface Submitted {
  accepted: JobAccepted;
  /** True when an earlier request with the same Idempotency-Key and body made the job. */
  replayed: boolean;
}

type SubmitContext = Pick<HandlerContext<unknown, unknown, unknown>, 'tenant' | 'headers' | 'signal' | 'precheck'>;

/**
 * submitJob behind the request's Idempotency-Key, exactly as POST /v1/jobs
 * does it: the first request creates the job, a repeat with the same parsed
 * request within 24 h gets that job back, another body gets 422; without a key
 * no idempotency round trip is made.
 */
export async function submitIdempotent(
  deps: ApiDeps,
  ctx: SubmitContext,
  request: JobRequest,
  model: ResolvedModel,
): Promise<Submitted> {
  const key = idempotencyKeyOf(ctx.headers);
  if (key === undefined) {
    return { accepted: await submitJob(deps, ctx.tenant, request, model, ctx.precheck), replayed: false };
  }
  const digest = sha256Hex(canonicalJson(request));
  const claim = await deps.tenancy.idempotency.claim(ctx.tenant, key, digest, ctx.signal);
  if (claim.kind === 'replay') {
    const { record } = await readOwnJob(deps.store, claim.jobId, ctx.tenant);
    return { accepted: acceptedBody(record), replayed: true };
  }
  try {
    const accepted = await submitJob(deps, ctx.tenant, request, model, ctx.precheck);
    await claim.commit(accepted.id);
    return { accepted, replayed: false };
  } catch (err) {
    await claim.release().catch(() => undefined);
    throw err;
  }
}
