import type { JobStore } from './job-store';
import type { PoolQueues } from './pool-queues';
import type { NewJob } from './record-codec';

/**
 * Writes the record, then adds the job to its pool's queue. The record comes
 * first so a worker never dequeues a job without one; when the add fails the
 * record is removed again, so nothing stays queued that no worker will see.
 * A process killed between the two steps leaves the id in the pending-enqueue
 * set, where the EnqueueReaper finds it; the confirmation is what makes the
 * job acknowledged (the caller answers 202 only after it).
 */
export async function enqueueNewJob(store: JobStore, queues: PoolQueues, job: NewJob): Promise<void> {
  await store.create(job);
  try {
    await queues.add(job.pool, { id: job.id, tenant: job.tenant, model: job.request.model }, job.request.priority, job.request.max_attempts);
  } catch (err) {
    await store.discard(job.id, job.tenant).catch(() => undefined);
    throw err;
  }
  if (!(await store.confirmEnqueued(job.id))) throw new Error(`job ${job.id} was reaped before its enqueue was confirmed`);
}
