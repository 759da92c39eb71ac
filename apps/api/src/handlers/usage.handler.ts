import type { UsageQuery, UsageReport } from '@inferq/core';
import { usageReport } from '@inferq/store';
import type { ApiDeps } from '../deps';
import type { HandlerContext, HandlerResult, NoInput } from '../route';

/** GET /v1/usage?from=&to=: this tenant's jobs and tokens per UTC day and model, with cost where priced. */
export function usageHandler(deps: ApiDeps) {
  return async (ctx: HandlerContext<NoInput, UsageQuery>): Promise<HandlerResult> => {
    const data = await usageReport(deps.redis, deps.store.keys, deps.catalog, ctx.tenant, ctx.query);
    return { status: 200, body: { data } satisfies UsageReport };
  };
}
