import { batchJobId, JobRequest } from '@inferq/core';
import type { ModelCatalog } from '@inferq/core';
import type { BatchRef, BatchState } from '@inferq/store';
import type { BatchContext } from './batch-context';
import type { BatchEntry } from './line-check';

/** A stored request, parsed again as it leaves Redis (it was valid when stored). */
export function parseEntry(raw: string | undefined): BatchEntry | undefined {
  try {
    const e = JSON.parse(raw ?? '') as { c?: unknown; r?: unknown };
    const r = JobRequest.safeParse(e.r);
    return typeof e.c === 'string' && r.success ? { c: e.c, r: r.data } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The pool named in the job id of a stored request: its model's. A request
 * whose model no longer resolves never gets a job, so any pool names it.
 */
function entryPool(catalog: ModelCatalog, entry: BatchEntry | undefined): string {
  const model = entry && catalog.resolve(entry.r.model);
  return model?.pool ?? catalog.pools()[0] ?? 'default';
}

/** The job ids of the stored requests `raws`, which start at request `from`. */
export function jobIdsOf(ctx: BatchContext, ref: BatchRef, state: BatchState, from: number, raws: string[]) {
  return raws.map((raw, i) => batchJobId(ref.id, state.createdMs, from + i, entryPool(ctx.catalog, parseEntry(raw))));
}

/** The job ids and custom ids of these requests, read one by one from the stored requests. */
export async function jobsOfIndexes(ctx: BatchContext, ref: BatchRef, state: BatchState, indexes: number[]) {
  const raws = await Promise.all(indexes.map(async (i) => (await ctx.runs.requests(ref, i, i + 1))[0] ?? ''));
  return indexes.map((index, i) => ({
    index,
    id: jobIdsOf(ctx, ref, state, index, [raws[i]])[0],
    customId: parseEntry(raws[i])?.c ?? '',
  }));
}
