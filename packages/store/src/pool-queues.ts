import { Queue } from 'bullmq';
import type { JobsOptions } from 'bullmq';
import type { RedisClient as Connection } from './redis';
import type { Priority, QueueJobData } from '@inferq/core';
import { BULL_PRIORITY, PRIORITY_LEVELS as LEVELS, poolQueueName, poolTag, QUEUES } from '@inferq/core';
import type { PromotedJob } from './scheduler/scheduler-replies';

/**
 * BullMQ job options every pool job gets: the pool queue's in the catalog
 * (core's QUEUES, which says how long finished jobs stay for Bull Board), with
 * the job's id, priority and attempts.
 */
export function poolJobOptions(id: string, priority: Priority, maxAttempts: number): JobsOptions {
  return {
    ...QUEUES.pool.jobOptions,
    jobId: id,
    priority: BULL_PRIORITY[priority],
    attempts: maxAttempts,
    backoff: { type: QUEUES.pool.backoff.type },
  };
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
        opts: poolJobOptions(j.id, LEVELS[j.level] ?? 'normal', j.attempts),
      })),
    );
  }

  /** Whether BullMQ still has the job (waiting, active, delayed or kept finished). */
  async has(pool: string, id: string): Promise<boolean> {
    return (await this.connection.exists(this.get(pool).toKey(id))) === 1;
  }

  /** Removes a job that no worker holds; false when it is active (locked) or gone. */
  async removeWaiting(pool: string, id: string): Promise<boolean> {
    return (await this.get(pool).remove(id)) === 1;
  }

  /**
   * Where a waiting job stands in its pool: BullMQ keeps every prioritized job
   * (all of ours) in one zset scored by priority, then insertion order, which
   * is the order workers take them, so its rank is the number of jobs ahead.
   * Undefined when it is not waiting there (active, delayed for a retry, gone).
   */
  async position(pool: string, id: string): Promise<{ position: number; ahead: number } | undefined> {
    const rank = await this.connection.zrank(this.get(pool).keys.prioritized, id);
    return rank === null ? undefined : { position: rank + 1, ahead: rank };
  }

  all(): Queue<QueueJobData>[] {
    return [...this.queues.values()];
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((q) => q.close()));
  }
}
