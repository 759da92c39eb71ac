import { JOB_ID_PATTERN, NotFoundError } from '@inferq/core';
import type { JobStore, StoredJob } from '@inferq/store';

/**
 * The caller's own job, or 404 exactly as for a missing one (another tenant's
 * job, a malformed id: same answer). The id is checked before it becomes part
 * of a Redis key.
 */
export async function readOwnJob(store: JobStore, id: string, tenant: string): Promise<StoredJob> {
  if (!JOB_ID_PATTERN.test(id)) throw new NotFoundError(`no job ${id}`);
  return store.getForTenant(id, tenant);
}

export function jobLinks(id: string): { self: string; events: string; cancel: string } {
  const self = `/v1/jobs/${id}`;
  return { self, events: `${self}/events`, cancel: `${self}/cancel` };
}
