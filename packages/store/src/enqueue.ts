import { estimateTokens, priorityLevel } from '@inferq/core';
import type { JobStore } from './job-store';
import type { NewJob } from './record-codec';
import type { SchedJob } from './scheduler/pool-scheduler';
import { PoolScheduler } from './scheduler/pool-scheduler';
import { Promotion } from './scheduler/promotion';
import type { PoolQueues } from './pool-queues';
import { parsePick } from './scheduler/scheduler-replies';

type Pending = { job: NewJob; done: (err?: unknown) => void };

/**
 * Writes job records and puts the jobs in their tenants' backlogs in one
 * MULTI on one connection: a job's record and its place in the pool's order
 * of service land together or not at all, so an api killed mid-submit leaves
 * nothing behind. Submissions that arrive in the same turn of the event loop
 * share one transaction and one scheduler call per pool. The jobs the pool
 * picks at once (it had free slots) are handed to BullMQ after the answer:
 * a crash in between is repaired by the workers (see Repair).
 */
export class Enqueuer {
  private batch: Pending[] = [];

  constructor(
    private readonly store: JobStore,
    private readonly promotion: Promotion,
    private readonly onError: (err: unknown) => void = () => undefined,
    /** Answer only once picked jobs are in BullMQ (scripts and tests); servers answer as soon as the records land. */
    private readonly awaitHandOver = false,
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
      const pools = groupByPool(batch);
      const landed = await Promise.all([...pools].map(([pool, jobs]) => this.submitToPool(pool, jobs)));
      if (this.awaitHandOver) await Promise.all(landed.map((l) => l.handOver));
      for (const b of batch) b.done();
    } catch (err) {
      for (const b of batch) b.done(err);
    }
  }

  /**
   * One MULTI per pool, in the pool's slot: the records and their place in
   * the order of service. Resolves once it landed, to the hand-over of what
   * the pool picked at once (wrapped: an async function would wait for it).
   */
  private async submitToPool(pool: string, jobs: NewJob[]): Promise<{ handOver: Promise<void> }> {
    const tx = this.store.transaction();
    this.store.appendCreates(tx, jobs);
    this.promotion.scheduler.appendSubmit(tx, pool, jobs.map(toSchedJob));
    const results = await tx.exec();
    if (results === null) throw new Error('the enqueue transaction was aborted');
    const failed = results.find(([err]) => err)?.[0];
    if (failed) {
      await this.takeBack(pool, jobs);
      throw failed;
    }
    // Replies exclude MULTI itself: the scheduler's is the last.
    return { handOver: this.handOver(pool, results[results.length - 1][1]) };
  }

  /**
   * MULTI runs every command even when one fails: takes back what did land. The records go, each
   * releasing its count only if it still held one; jobs the scheduler queued leave its backlogs.
   */
  private async takeBack(pool: string, jobs: readonly NewJob[]): Promise<void> {
    const scheduler = this.promotion.scheduler;
    await Promise.all([
      this.store.discard(jobs).catch(this.onError),
      ...jobs.map((job) =>
        scheduler.cancel(pool, job.id, priorityLevel(job.request.priority), job.tenant).catch(this.onError),
      ),
    ]);
  }

  private handOver(pool: string, reply: unknown): Promise<void> {
    return Promise.resolve()
      .then(() => this.promotion.apply(pool, parsePick(reply)))
      .catch(this.onError);
  }
}

function groupByPool(batch: readonly Pending[]): Map<string, NewJob[]> {
  const pools = new Map<string, NewJob[]>();
  for (const { job } of batch) {
    const list = pools.get(job.pool);
    if (list) list.push(job);
    else pools.set(job.pool, [job]);
  }
  return pools;
}

function toSchedJob(job: NewJob): SchedJob {
  const r = job.request;
  return {
    id: job.id,
    level: priorityLevel(r.priority),
    tenant: job.tenant,
    estimate: job.estimate ?? estimateTokens(r),
    weight: job.weight ?? 1,
    attempts: r.max_attempts,
    deadlineMs: r.deadline_s === undefined ? null : job.createdAt + r.deadline_s * 1000,
    model: r.model,
  };
}

/** One job through a one-off Enqueuer (scripts, tests); servers keep one Enqueuer per process. */
export function enqueueNewJob(store: JobStore, queues: PoolQueues, job: NewJob): Promise<void> {
  const promotion = new Promotion(store, queues, new PoolScheduler(queues.connection, queues.prefix));
  return new Enqueuer(store, promotion, undefined, true).enqueue(job);
}
