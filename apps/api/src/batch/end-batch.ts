import { batchRequestId, isTerminal } from '@inferq/core';
import type { BatchRef, BatchResult, BatchState } from '@inferq/store';
import type { BatchContext } from './batch-context';
import { jobIdsOf, jobsOfIndexes } from './batch-job-ids';
import { followIndexes } from './follow-indexes';
import type { NotRunCode } from './result-lines';
import { notRun } from './result-lines';
import type { ResultTracker } from './result-tracker';

/** Requests written per script call when recording those that never ran. */
const PAGE = 1000;
/** How often the end waits for canceled jobs' results before looking again (ms). */
const WAIT_MS = 1000;

/**
 * A cancelled or expired batch: its jobs still queued are canceled (they
 * leave the queue), running ones aborted (the cancel transition tells their
 * worker), each one's result recorded as it ends (a job that finished first
 * keeps its real result), the requests never fed are written to the error
 * file, then the batch ends with what finished. Every step is idempotent, so
 * a runner that takes over half-way simply does it again.
 */
export async function endBatch(
  ctx: BatchContext,
  ref: BatchRef,
  state: BatchState,
  tracker: ResultTracker,
  stopped: () => boolean,
): Promise<string> {
  const code: NotRunCode = state.object.status === 'cancelling' ? 'batch_cancelled' : 'batch_expired';
  tracker.ending = code;
  const total = state.object.request_counts.total;
  const next = state.nextLine;
  // Jobs may exist for pending requests and, after a crash between creating and claiming, just past the feed.
  const ahead = Array.from(
    { length: Math.max(0, Math.min(total, next + ctx.opts.feedChunk) - next) },
    (_, i) => next + i,
  );
  const aheadIds = ahead.length
    ? jobIdsOf(ctx, ref, state, next, await ctx.runs.requests(ref, next, next + ahead.length))
    : [];
  const exists = await ctx.runs.jobsExist(aheadIds);
  const withJobs = [...(await ctx.runs.pending(ref)), ...ahead.filter((_, i) => exists[i])];
  await cancelJobs(
    ctx,
    ref,
    (await jobsOfIndexes(ctx, ref, state, withJobs)).map((j) => j.id),
  );
  await followIndexes(ctx, ref, state, tracker, withJobs);
  while (tracker.size > 0) {
    if (stopped()) return 'ok';
    await tracker.changed(WAIT_MS);
  }
  for (let from = next; from < total; from += PAGE) {
    if (stopped()) return 'ok';
    const to = Math.min(total, from + PAGE);
    const indexes = Array.from({ length: to - from }, (_, i) => from + i);
    const [raws, recorded] = await Promise.all([ctx.runs.requests(ref, from, to), ctx.runs.recorded(ref, indexes)]);
    const results: BatchResult[] = [];
    const ids = jobIdsOf(ctx, ref, state, from, raws);
    indexes.forEach((index, i) => {
      if (recorded[i]) return;
      const customId = (JSON.parse(raws[i] ?? '{}') as { c?: string }).c ?? '';
      results.push(notRun(index, customId, code, batchRequestId(ids[i])));
    });
    await tracker.recordNow(results);
  }
  const end = await ctx.runs.finalize(ref, ctx.owner, state.outputFileId, state.errorFileId);
  return end.kind === 'lease_lost' ? 'lease_lost' : 'ok';
}

/**
 * Cancels the jobs not yet terminal, as POST /v1/jobs/{id}/cancel does; a few at a time. A chunk's
 * cancels start in one turn, so each pool's are one finish call and one cancel message.
 */
async function cancelJobs(ctx: BatchContext, ref: BatchRef, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 100) {
    const jobs = await Promise.all(ids.slice(i, i + 100).map((id) => ctx.jobs.get(id)));
    await Promise.all(
      jobs.map(async (job) => {
        if (!job || isTerminal(job.record.status)) return;
        const r = await ctx.jobs.cancel(job.record.id, ref.tenant);
        if (r.kind === 'written' && r.previous === 'queued') await ctx.takeOutOfQueue(job);
      }),
    );
  }
}
