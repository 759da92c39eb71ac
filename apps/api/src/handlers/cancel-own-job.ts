import { ConflictError, NotFoundError } from '@inferq/core';
import type { JobRecord } from '@inferq/core';
import type { ApiDeps } from '../deps';
import { readOwnJob } from './job-access';

/**
 * Cancels the caller's job. The record turns canceled atomically; a queued
 * job also leaves its BullMQ queue. For a running one, the same transition
 * publishes the job id on `{prefix}:cancel`, where workers listen to abort the
 * backend call (a worker that takes a canceled job finds it terminal and skips
 * it). 404 for a job not the tenant's, 409 once terminal.
 */
export async function cancelOwnJob(deps: ApiDeps, id: string, tenant: string): Promise<JobRecord> {
  const job = await readOwnJob(deps.store, id, tenant);
  const result = await deps.store.cancel(job.record.id, tenant);
  switch (result.kind) {
    case 'written':
      // False when a worker holds the job (then the cancel message reaches it).
      await deps.queues.removeWaiting(job.pool, job.record.id);
      break;
    case 'missing':
      throw new NotFoundError(`no job ${id}`);
    case 'terminal':
    case 'not_allowed':
      throw new ConflictError(`job ${id} is already ${result.current}`);
  }
  return (await readOwnJob(deps.store, id, tenant)).record;
}
