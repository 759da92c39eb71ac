import type { z } from 'zod';
import { poolQueueName, WEBHOOK_QUEUE } from './keys';
import { DeliveryJobData, QueueJobData } from './queue-job.schema';

/** Options every job of a queue gets: structurally BullMQ's JobsOptions (core does not depend on BullMQ). */
export interface QueueJobOptions {
  /**
   * Finished jobs BullMQ keeps (for Bull Board): `age` in seconds, `count` jobs; false keeps them all (see
   * keepCompletedS). A queue's consumer may give them to its BullMQ Workers instead, the same rules for jobs
   * that carry none (the pool queue does: store's poolWorkerOptions).
   */
  removeOnComplete: false | { age?: number; count?: number };
  removeOnFail: { age?: number; count?: number };
}

/** How failed attempts are retried: BullMQ's custom backoff `type`, whose strategy the consumer registers. */
export interface QueueBackoff {
  type: string;
  /** The longest delay between two attempts (ms), where the strategy caps it. */
  maxDelayMs?: number;
}

export interface QueueSpec {
  /** The BullMQ queue name (BullMQ adds QUEUE_PREFIX); NEVER renamed, running workers depend on it. */
  name: (pool: string) => string;
  /** What a job carries; the consumer parses it again with safeParse when it dequeues it. */
  schema: z.ZodType;
  jobOptions: QueueJobOptions;
  backoff: QueueBackoff;
  /** Completed jobs kept this long (s) and then removed in batches by the consumers' upkeep, not by each completion. */
  keepCompletedS?: number;
}
export type QueueCatalog = Record<string, QueueSpec>;

/**
 * Every queue inferq runs, what its jobs carry and how they retry. Attempts are
 * per job: a pool job gets its request's `max_attempts`; a delivery job one
 * more than WEBHOOK_RETRY_SCHEDULE has delays.
 */
export const QUEUES = {
  /** One queue per pool (`pool-<name>`): the scheduler's pick -> worker. The job record, not BullMQ, is the source of truth. */
  pool: {
    name: poolQueueName,
    schema: QueueJobData,
    // Completed jobs stay only briefly, for Bull Board: every worker's upkeep removes those older than
    // keepCompletedS in batches (SchedulerUpkeep). A BullMQ rule would trim on every completion: by age
    // a ZREVRANGEBYSCORE each, and a ZREMRANGEBYSCORE each once jobs expire; by count a ZREVRANGE and
    // a ZREMRANGEBYRANK (issue #17). Completed jobs are the hot path; failed ones keep BullMQ's rules.
    // The record, not BullMQ's hash, is what callers read, so at R jobs/s BullMQ holds ~60-65 R hashes.
    jobOptions: { removeOnComplete: false, removeOnFail: { age: 3600, count: 10_000 } },
    // Exponential with jitter from WORKER_RETRY_BASE_MS, never before the provider's Retry-After.
    backoff: { type: 'inferq', maxDelayMs: 10 * 60_000 },
    keepCompletedS: 60,
  },
  /** Webhook deliveries: the outbox consumer (store) in the dispatcher -> its delivery worker. */
  webhooks: {
    name: () => WEBHOOK_QUEUE,
    schema: DeliveryJobData,
    // Exhausted deliveries stay in the failed set (Bull Board) for a week; completed ones for a day.
    jobOptions: {
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600, count: 100_000 },
    },
    // WEBHOOK_RETRY_SCHEDULE's delays, never before the receiver's Retry-After.
    backoff: { type: 'webhook-schedule' },
  },
} satisfies QueueCatalog;
