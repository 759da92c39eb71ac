import { AppError, estimateTokens, iso, newJobId, UnavailableError } from '@inferq/core';
import type { JobAccepted, JobRequest, ResolvedModel } from '@inferq/core';
import { isCacheable } from '@inferq/store';
import type { ApiDeps } from '../deps';
import { acceptedBody } from './job-access';

/**
 * Stores and enqueues one admitted job; or, for a cache-eligible request
 * (`cache: true`, temperature 0) whose answer is in the response cache,
 * stores it already succeeded from the cached output, `cached: true`, costing
 * no tokens and passing no admission check (it queues nothing). The cache is
 * read only for eligible requests, so other submissions pay no extra round
 * trip. `admitted` is the route's precheck (Admission, started with the
 * request): a cache hit does not wait for it. `id` is given by the batch
 * runner (ids derived from the batch and line, so a resumed batch finds its jobs).
 */
export async function submitJob(
  deps: ApiDeps,
  tenant: string,
  request: JobRequest,
  model: ResolvedModel,
  admitted: Promise<void>,
  id = newJobId(model.pool),
): Promise<JobAccepted> {
  const createdAt = Date.now();
  // The input is encoded (compressed when large) here, off the enqueue's shared transaction.
  const job = await deps.store.prepare({ id, tenant, pool: model.pool, createdAt, request });
  const accepted = (status: JobAccepted['status']): JobAccepted =>
    acceptedBody({ id, status, model: request.model, created_at: iso(createdAt) });

  if (isCacheable(request)) {
    const output = await deps.tenancy.responseCache.get(tenant, request.model, request);
    if (output) {
      await deps.store.create(job);
      const usage = { input_tokens: 0, output_tokens: 0 };
      await deps.store.succeed(id, tenant, { output, usage, ttftMs: null, cached: true });
      return accepted('succeeded');
    }
  }

  await admitted;
  // The tenant's limits are cached in memory (read by the rate limit already): no round trip.
  const { weight } = await deps.tenancy.limits.effective(tenant);
  // The prepared job is this submit's own object: completed in place rather than copied.
  job.estimate = estimateTokens(request, model);
  job.weight = weight;
  try {
    await deps.enqueuer.enqueue(job);
  } catch (err) {
    if (err instanceof AppError) throw err;
    deps.logger.warn({ err, jobId: id }, 'enqueue failed');
    throw new UnavailableError('could not enqueue the job, retry shortly');
  }
  return accepted('queued');
}
