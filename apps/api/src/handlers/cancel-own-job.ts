import { ConflictError, NotFoundError, priorityLevel } from '@inferq/core';
import type { JobRecord } from '@inferq/core';
import type { StoredJob } from '@inferq/store';
import type { ApiDeps } from '../deps';
import { readOwnJob } from './job-access';

/**
 * Cancels the caller's job. The record turns canceled atomically; a queued
 * job also leaves its tenant's backlog, or BullMQ's queue if the scheduler
 * had handed it over (its slot then goes to the next job). For a running one,
 * the same transition publishes the job id on `{prefix}:cancel`, where workers
 * listen to abort the backend call (a worker that takes a canceled job finds
 * it terminal and skips it). 404 for a job not the tenant's, 409 once terminal.
 */
export async function cancelOwnJob(deps: ApiDeps, id: string, tenant: string): Promise<JobRecord> {
  const job = await readOwnJob(deps.store, id, tenant);
  const result = await deps.store.cancel(job.record.id, tenant);
  switch (result.kind) {
    case 'written':
      if (result.previous === 'queued') await takeOutOfQueue(deps, job);
      break;
    case 'missing':
      throw new NotFoundError(`no job ${id}`);
    case 'terminal':
    case 'not_allowed':
      throw new ConflictError(`job ${id} is already ${result.current}`);
  }
  return (await readOwnJob(deps.store, id, tenant)).record;
}

/** A canceled queued job leaves its backlog, or BullMQ's queue (its slot then going to the next job). */
export async function takeOutOfQueue(
  deps: Pick<ApiDeps, 'scheduler' | 'promotion' | 'queues'>,
  job: StoredJob,
): Promise<void> {
  const { pool, record, tenant } = job;
  const where = await deps.scheduler.cancel(pool, record.id, priorityLevel(job.priority), tenant);
  // False when a worker holds the job (then the cancel message reaches it, and it frees the slot).
  if (where === 'inflight' && (await deps.queues.removeWaiting(pool, record.id))) {
    await deps.promotion.finish(pool, record.id, 0);
  }
}
