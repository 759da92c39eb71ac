import { poolBacklogView } from '@inferq/core';
import type { ApiDeps } from '../deps';
import type { HandlerResult } from '../route';

/**
 * GET /v1/admin/pools: each catalog pool's fair-scheduler state (capacity, jobs
 * in flight, backlogs per tenant and level), read from Redis. Jobs wait in
 * these backlogs before BullMQ sees them, so Bull Board alone does not show them.
 */
export function listPoolsHandler(deps: ApiDeps) {
  return async (): Promise<HandlerResult> => {
    const stats = await Promise.all(deps.catalog.pools().map((p) => deps.scheduler.stats(p)));
    const now = Date.now();
    return { status: 200, body: { data: stats.map((s) => poolBacklogView(s, now)) } };
  };
}
