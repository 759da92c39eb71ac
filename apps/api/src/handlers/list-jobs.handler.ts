import type { ListJobsQuery } from '@inferq/core';
import type { ApiDeps } from '../deps';
import type { HandlerContext, HandlerResult, NoInput } from '../route';

/** GET /v1/jobs: this tenant's jobs, newest first, paged by cursor. */
export function listJobsHandler(deps: ApiDeps) {
  return async (ctx: HandlerContext<NoInput, ListJobsQuery>): Promise<HandlerResult> => {
    const { status, limit, cursor } = ctx.query;
    return { status: 200, body: await deps.store.list(ctx.tenant, deps.catalog.pools(), { status, limit, cursor }) };
  };
}
