import { AppError, iso, newJobId, UnavailableError, ValidationError } from '@inferq/core';
import type { JobAccepted, JobRequest } from '@inferq/core';
import { enqueueNewJob } from '@inferq/store';
import { admit } from '../admission';
import type { ApiDeps } from '../deps';
import type { HandlerContext, HandlerResult, NoInput } from '../route';
import { jobLinks } from './job-access';

/** POST /v1/jobs: admit, store the record, enqueue on the model's pool; 202. */
export function createJobHandler(deps: ApiDeps) {
  return async (ctx: HandlerContext<NoInput, NoInput, JobRequest>): Promise<HandlerResult> => {
    const request = ctx.body;
    const model = deps.catalog.resolve(request.model);
    if (!model) {
      throw new ValidationError(`unknown model ${request.model}`, [
        { path: 'model', message: 'no such model on this deployment (see GET /v1/models)' },
      ]);
    }
    await admit(deps, ctx.tenant, request, model);

    const id = newJobId();
    const createdAt = Date.now();
    try {
      await enqueueNewJob(deps.store, deps.queues, { id, tenant: ctx.tenant, pool: model.pool, createdAt, request });
    } catch (err) {
      if (err instanceof AppError) throw err;
      deps.logger.warn({ err, jobId: id }, 'enqueue failed');
      throw new UnavailableError('could not enqueue the job, retry shortly');
    }

    const body: JobAccepted = {
      id,
      status: 'queued',
      model: request.model,
      created_at: iso(createdAt),
      links: jobLinks(id),
    };
    return { status: 202, body };
  };
}
