import type { JobIdParams } from '@inferq/core';
import type { ApiDeps } from '../deps';
import type { HandlerContext, HandlerResult } from '../route';
import { cancelOwnJob } from './cancel-own-job';

/** POST /v1/jobs/{id}/cancel: 200 with the canceled record (see cancelOwnJob). */
export function cancelJobHandler(deps: ApiDeps) {
  return async (ctx: HandlerContext<JobIdParams>): Promise<HandlerResult> => ({
    status: 200,
    body: await cancelOwnJob(deps, ctx.params.id, ctx.tenant),
  });
}
