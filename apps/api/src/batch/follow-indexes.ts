import { batchJobId } from '@inferq/core';
import type { BatchRef, BatchState } from '@inferq/store';
import type { BatchContext } from './batch-context';
import type { ResultTracker } from './result-tracker';

/** Follows the jobs of these requests (their custom_ids read from the stored requests). */
export async function followIndexes(
  ctx: BatchContext,
  ref: BatchRef,
  state: BatchState,
  tracker: ResultTracker,
  indexes: number[],
): Promise<void> {
  const raws = await Promise.all(indexes.map((i) => ctx.runs.requests(ref, i, i + 1)));
  indexes.forEach((index, i) => {
    const raw = raws[i]?.[0];
    const customId = raw ? ((JSON.parse(raw) as { c?: string }).c ?? '') : '';
    tracker.follow(index, batchJobId(ref.id, state.createdMs, index), customId);
  });
}
