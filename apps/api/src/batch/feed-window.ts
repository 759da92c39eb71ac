import { batchRequestId } from '@inferq/core';
import type { BatchRef, BatchResult, BatchState, Fenced } from '@inferq/store';
import type { BatchContext } from './batch-context';
import { jobIdsOf, parseEntry } from './batch-job-ids';
import { failedResult } from './result-lines';
import type { ResultTracker } from './result-tracker';

/**
 * Feeds requests [from, to) of a batch: each gets its job (a deterministic
 * id, so one created before a crash is found rather than made again), or a
 * failed result when it cannot run (daily token budget used up, model gone);
 * then the claim moves the feed on, fenced by the lease. A failure to create
 * some job throws before the claim: the same window is fed again later, and
 * the jobs that did land are found by id.
 */
export async function feedWindow(
  ctx: BatchContext,
  ref: BatchRef,
  state: BatchState,
  tracker: ResultTracker,
  from: number,
  to: number,
): Promise<Fenced> {
  const raws = await ctx.runs.requests(ref, from, to);
  const ids = jobIdsOf(ctx, ref, state, from, raws);
  const exists = await ctx.runs.jobsExist(ids);
  const overBudget = exists.every(Boolean) ? undefined : await ctx.overBudget(ref.tenant);
  const direct: BatchResult[] = [];
  const created: Array<Promise<unknown>> = [];
  const follow: Array<[number, string, string]> = [];
  raws.forEach((raw, i) => {
    const index = from + i;
    const id = ids[i];
    const entry = parseEntry(raw);
    const model = entry && ctx.catalog.resolve(entry.r.model);
    const customId = entry?.c ?? '';
    if (exists[i]) follow.push([index, id, customId]);
    else if (!entry)
      direct.push(failedResult(index, customId, batchRequestId(id), 'invalid_request', 'Unreadable request.'));
    else if (!model)
      direct.push(failedResult(index, customId, batchRequestId(id), 'model_not_found', `No model ${entry.r.model}.`));
    else if (overBudget) direct.push(failedResult(index, customId, batchRequestId(id), 'budget_exceeded', overBudget));
    else {
      created.push(ctx.submit(ref.tenant, entry.r, model, id));
      follow.push([index, id, customId]);
    }
  });
  await tracker.recordNow(direct);
  const settled = await Promise.allSettled(created);
  // Follow what exists now (created jobs follow only once their record is there).
  let c = 0;
  for (const [index, id, customId] of follow) {
    const made = exists[index - from] || settled[c++]?.status === 'fulfilled';
    if (made) tracker.follow(index, id, customId);
  }
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return ctx.runs.claim(ref, ctx.owner, from, to);
}
