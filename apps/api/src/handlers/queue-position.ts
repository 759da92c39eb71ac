import type { JobRecord } from '@inferq/core';
import type { PoolQueues, StoredJob } from '@inferq/store';

/**
 * The record, with `queue: { position, ahead }` while the job waits in its
 * pool's queue. A job waiting out a retry delay, or just taken by a worker,
 * has no place in line: the field is left out.
 */
export async function withQueuePosition(queues: PoolQueues, job: StoredJob): Promise<JobRecord> {
  if (job.record.status !== 'queued') return job.record;
  const queue = await queues.position(job.pool, job.record.id);
  return queue ? { ...job.record, queue } : job.record;
}
