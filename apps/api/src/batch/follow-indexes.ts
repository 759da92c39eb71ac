import type { BatchRef, BatchState } from '@inferq/store';
import type { BatchContext } from './batch-context';
import { jobsOfIndexes } from './batch-job-ids';
import type { ResultTracker } from './result-tracker';

/** Follows the jobs of these requests (their ids and custom_ids read from the stored requests). */
export async function followIndexes(
  ctx: BatchContext,
  ref: BatchRef,
  state: BatchState,
  tracker: ResultTracker,
  indexes: number[],
): Promise<void> {
  for (const { index, id, customId } of await jobsOfIndexes(ctx, ref, state, indexes)) {
    tracker.follow(index, id, customId);
  }
}
