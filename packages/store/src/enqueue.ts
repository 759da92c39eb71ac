import type { JobStore } from './job-store';
import type { PoolQueues } from './pool-queues';
import type { NewJob } from './record-codec';

/**
 * Writes the record, then adds the job to its pool's queue. The record comes
 * first so a worker never dequeues a job without one; when the add fails the
 * record is removed again, so nothing stays queued that no worker will see.
 */
export async function enqueueNewJob(store: JobStore, queues: PoolQueues, job: NewJob): Promise<void> {
  await store.create(job);
  try {
    await queues.add(job.pool, { id: job.id, tenant: job.tenant, model: job.request.model }, job.request.priority, job.request.max_attempts);
  } catch (err) {
    await store.discard(job.id, job.tenant).catch(() => undefined);
    throw err;
  }
}
