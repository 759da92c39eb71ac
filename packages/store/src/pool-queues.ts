import { Queue } from 'bullmq';
import type { JobsOptions, WorkerOptions } from 'bullmq';
import type { RedisClient as Connection } from './redis';
import type { QueueJobData } from '@inferq/core';
import { poolQueueName, poolTag, QUEUES } from '@inferq/core';
import type { PromotedJob } from './scheduler/scheduler-replies';

/**
 * BullMQ job options every pool job gets: its id, attempts and backoff. No
 * BullMQ priority: the fair scheduler already handed the jobs over in their
 * order of service, and a standard job is one LPUSH on add and one RPOPLPUSH
 * on fetch, FIFO in that order, where a prioritized one costs a counter INCR
 * and a zset ZADD, then a failed RPOPLPUSH, a ZPOPMIN and an LPUSH (issue #17).
 * The catalog's keep rules are not here but on the pool's Workers
 * (poolWorkerOptions): see there why.
 */
export function poolJobOptions(id: string, maxAttempts: number): JobsOptions {
  return { jobId: id, attempts: maxAttempts, backoff: { type: QUEUES.pool.backoff.type } };
}

/**
 * The pool queue's keep rules (core's QUEUES: how long finished jobs stay for
 * Bull Board), given to every BullMQ Worker of a pool. BullMQ applies a
 * Worker's removeOnComplete/removeOnFail to each job it finishes that carries
 * none, so the rules are the same as on the job; on the job they would be in
 * its opts, which the add script unpacks and encodes as JSON and stores in
 * the job's hash, every job: ~14k of ~200k Redis instructions per add
 * (callgrind, issue #17). Only Workers finish pool jobs (a job stalled too
 * often fails on its next fetch, by a Worker).
 */
export function poolWorkerOptions(): Pick<WorkerOptions, 'removeOnComplete' | 'removeOnFail'> {
  const { removeOnComplete, removeOnFail } = QUEUES.pool.jobOptions;
  // A Worker takes no `false`: count -1 is what BullMQ turns a job's `false` into (keep them all).
  return { removeOnComplete: removeOnComplete === false ? { count: -1 } : removeOnComplete, removeOnFail };
}

/** One BullMQ queue per pool, created on first use over a shared connection. */
export class PoolQueues {
  private readonly queues = new Map<string, Queue<QueueJobData>>();

  constructor(
    readonly connection: Connection,
    readonly prefix: string,
  ) {}

  get(pool: string): Queue<QueueJobData> {
    let q = this.queues.get(pool);
    if (!q) {
      q = new Queue<QueueJobData>(poolQueueName(pool), {
        connection: this.connection,
        prefix: poolTag(this.prefix, pool),
      });
      // The shared connection's errors, which /readyz reports (see createRedis); without a listener they would crash the process.
      q.on('error', () => undefined);
      this.queues.set(pool, q);
    }
    return q;
  }

  /**
   * Adds the jobs a scheduler pick handed over, in one round trip. The job id
   * is BullMQ's jobId, so adding a job again (a repair after a crash between
   * the pick and this add) is a no-op while BullMQ still has it.
   */
  async addPromoted(pool: string, jobs: PromotedJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.get(pool).addBulk(
      jobs.map((j) => ({
        name: 'infer',
        // The charge rides along so the worker's finish hands it back (sched-finish.lua reads nothing then).
        data: { id: j.id, tenant: j.tenant, model: j.model, level: j.level, estimate: j.estimate, weight: j.weight },
        opts: poolJobOptions(j.id, j.attempts),
      })),
    );
  }

  /** Whether BullMQ still has the job (waiting, active, delayed or kept finished). */
  async has(pool: string, id: string): Promise<boolean> {
    return (await this.connection.exists(this.get(pool).toKey(id))) === 1;
  }

  /**
   * Removes the pool's completed jobs that finished more than `keepMs` ago, `batch` per script call
   * (each call blocks Redis while it deletes), until a call finds fewer. Returns how many went.
   */
  async removeCompleted(pool: string, keepMs: number, batch = 1000): Promise<number> {
    let removed = 0;
    for (;;) {
      const n = (await this.get(pool).clean(keepMs, batch, 'completed')).length;
      removed += n;
      if (n < batch) return removed;
    }
  }

  /** Removes a job that no worker holds; false when it is active (locked) or gone. */
  async removeWaiting(pool: string, id: string): Promise<boolean> {
    return (await this.get(pool).remove(id)) === 1;
  }

  /**
   * Where a waiting job stands in its pool, in the order workers take jobs:
   * the wait list from its tail (BullMQ pushes at the head and pops the tail),
   * then the prioritized zset, which BullMQ serves once the list is empty (jobs
   * an api from before standard adds handed over with a priority). Undefined
   * when it is waiting in neither (active, delayed for a retry, gone).
   */
  async position(pool: string, id: string): Promise<{ position: number; ahead: number } | undefined> {
    const keys = this.get(pool).keys;
    const replies = await this.connection
      .multi()
      .lpos(keys.wait, id)
      .llen(keys.wait)
      .zrank(keys.prioritized, id)
      .exec();
    const [index, waiting, rank] = (replies ?? []).map(([, v]) => (typeof v === 'number' ? v : null));
    const ahead = index !== null ? (waiting ?? 0) - 1 - index : rank !== null ? (waiting ?? 0) + rank : undefined;
    return ahead === undefined ? undefined : { position: ahead + 1, ahead };
  }

  all(): Queue<QueueJobData>[] {
    return [...this.queues.values()];
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((q) => q.close()));
  }
}
