import type { GetJobQuery, JobIdParams } from '@inferq/core';
import { isTerminal } from '@inferq/core';
import type { ApiDeps } from '../deps';
import type { HandlerContext, HandlerResult } from '../route';
import { readOwnJob } from './job-access';
import { withQueuePosition } from './queue-position';

/**
 * GET /v1/jobs/{id}[?wait=N]. The long-poll subscribes before the first read,
 * so a change between the read and the wait still wakes it; it answers once
 * the job is terminal, after N s, when the client leaves or the server drains.
 */
export function getJobHandler(deps: ApiDeps) {
  return async (ctx: HandlerContext<JobIdParams, GetJobQuery>): Promise<HandlerResult> => {
    const { id } = ctx.params;
    if (ctx.query.wait === undefined) {
      return { status: 200, body: await withQueuePosition(deps, await readOwnJob(deps.store, id, ctx.tenant)) };
    }
    const deadline = Date.now() + ctx.query.wait * 1000;
    const sub = deps.watcher.watch(id);
    try {
      for (;;) {
        const job = await readOwnJob(deps.store, id, ctx.tenant);
        const left = deadline - Date.now();
        if (isTerminal(job.record.status) || left <= 0 || ctx.signal.aborted || deps.watcher.closed) {
          return { status: 200, body: await withQueuePosition(deps, job) };
        }
        await sub.next(left, ctx.signal);
      }
    } finally {
      sub.stop();
    }
  };
}
