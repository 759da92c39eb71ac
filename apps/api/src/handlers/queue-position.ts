import { priorityLevel } from '@inferq/core';
import type { JobRecord, QueuePosition } from '@inferq/core';
import type { StoredJob } from '@inferq/store';
import type { ApiDeps } from '../deps';

/**
 * The record, with `queue: { position, ahead, eta_s }` while the job waits:
 * in its tenant's backlog, its estimated place in the pool's fair order; once
 * handed to BullMQ, its exact rank there. A job waiting out a retry delay, or
 * just taken by a worker, has no place in line: the field is left out.
 */
export async function withQueuePosition(deps: ApiDeps, job: StoredJob): Promise<JobRecord> {
  if (job.record.status !== 'queued') return job.record;
  const queue = await queuePosition(deps, job);
  return queue ? { ...job.record, queue } : job.record;
}

async function queuePosition(deps: ApiDeps, job: StoredJob): Promise<QueuePosition | undefined> {
  const { pool, record, tenant } = job;
  const [backlogAhead, rate] = await Promise.all([
    deps.scheduler.position(pool, record.id, priorityLevel(job.priority), tenant),
    deps.throughput.rate(pool),
  ]);
  const ahead = backlogAhead ?? (await deps.queues.position(pool, record.id))?.ahead;
  if (ahead === undefined) return undefined;
  const eta = rate === null ? null : Math.round(((ahead + 1) / rate) * 10) / 10;
  return { position: ahead + 1, ahead, eta_s: eta };
}
