import type { ChainableCommander } from 'ioredis';
import type { JobStore } from './job-store';
import type { PoolQueues } from './pool-queues';
import type { NewJob } from './record-codec';

/**
 * Writes job records and adds the jobs to their pools' queues in one MULTI on
 * one connection: a job's record and its queue entry land together or not at
 * all, so no worker dequeues a job without its record and an api killed
 * mid-submit leaves nothing behind. Submissions that arrive in the same turn
 * of the event loop share one transaction: one round trip, and one ioredis
 * pipeline (which copies every loaded script, BullMQ's too) instead of one each.
 */
export class Enqueuer {
  private batch: Array<{ job: NewJob; done: (err?: unknown) => void }> = [];

  constructor(
    private readonly store: JobStore,
    private readonly queues: PoolQueues,
  ) {}

  enqueue(job: NewJob): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.batch.length === 0) setImmediate(() => void this.flush());
      this.batch.push({ job, done: (err) => (err === undefined ? resolve() : reject(err)) });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.batch;
    this.batch = [];
    try {
      await Promise.all([...new Set(batch.map((b) => b.job.pool))].map((pool) => this.queues.ready(pool)));
      const tx = this.store.transaction();
      // Where each job's commands end among the results (the queue may already hold MULTI itself).
      const base = tx.length;
      const ends = batch.map(({ job }) => {
        this.append(tx, job);
        return tx.length - base;
      });
      const results = await tx.exec();
      if (results === null) throw new Error('the enqueue transaction was aborted');
      await Promise.all(batch.map((b, i) => this.settle(b, results.slice(i > 0 ? ends[i - 1] : 0, ends[i]))));
    } catch (err) {
      for (const b of batch) b.done(err);
    }
  }

  private append(tx: ChainableCommander, job: NewJob): void {
    this.store.appendCreate(tx, job);
    const data = { id: job.id, tenant: job.tenant, model: job.request.model };
    this.queues.appendAdd(tx, job.pool, data, job.request.priority, job.request.max_attempts);
  }

  private async settle(
    b: { job: NewJob; done: (err?: unknown) => void },
    results: Array<[Error | null, unknown]>,
  ): Promise<void> {
    const failed = results.find(([err]) => err)?.[0];
    if (!failed) return b.done();
    // MULTI runs every command even when one fails: take back what did land.
    // The caller gets the enqueue's own error; a discard that fails too is the same outage.
    await this.store.discard(b.job.id, b.job.tenant).catch(() => undefined);
    b.done(failed);
  }
}

/** One job through a one-off Enqueuer (scripts, tests); servers keep one Enqueuer per process. */
export function enqueueNewJob(store: JobStore, queues: PoolQueues, job: NewJob): Promise<void> {
  return new Enqueuer(store, queues).enqueue(job);
}
