import { JOB_ID_PATTERN, NotFoundError } from '@inferq/core';
import type { JobAccepted } from '@inferq/core';
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

/** The answer to a submission (202, or 200 for an idempotent replay). */
export function acceptedBody(j: {
  id: string;
  status: JobAccepted['status'];
  model: string;
  created_at: string;
}): JobAccepted {
  return { id: j.id, status: j.status, model: j.model, created_at: j.created_at, links: jobLinks(j.id) };
}
