import { Job, Queue } from 'bullmq';
import type { JobsOptions, RedisClient } from 'bullmq';
import type { ChainableCommander, Redis } from 'ioredis';
import type { Priority, QueueJobData } from '@inferq/core';
import { BULL_PRIORITY, poolQueueName } from '@inferq/core';

/**
 * BullMQ job options every pool job gets. The job record (not BullMQ) is the
 * source of truth, so finished BullMQ jobs are kept only briefly for Bull Board.
 */
export function poolJobOptions(id: string, priority: Priority, maxAttempts: number): JobsOptions {
  return {
    jobId: id,
    priority: BULL_PRIORITY[priority],
    attempts: maxAttempts,
    backoff: { type: 'inferq' },
    // By count only: BullMQ's age rule costs a range scan on every completion.
    removeOnComplete: { count: 1000 },
    removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
  };
}

/**
 * BullMQ dispatches its Lua scripts through `runCommand(name, args)`, which
 * its own wrapper adds to the pipelines it makes; this gives our transaction
 * the same method, so BullMQ's add lands in it (the cast is the one BullMQ's
 * addBulk makes when it hands a pipeline where a client is expected).
 */
function asBullTransaction(tx: ChainableCommander): RedisClient {
  const commands = tx as unknown as Record<string, ((args: unknown[]) => unknown) | undefined>;
  const runCommand = (name: string, args: unknown[]): ChainableCommander => {
    const command = commands[name];
    if (!command) throw new Error(`BullMQ script ${name} is not loaded on this connection`);
    command.call(tx, args);
    return tx;
  };
  return { runCommand } as unknown as RedisClient;
}

/** One BullMQ queue per pool, created on first use over a shared connection. */
export class PoolQueues {
  private readonly queues = new Map<string, Queue<QueueJobData>>();

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
  ) {}

  get(pool: string): Queue<QueueJobData> {
    let q = this.queues.get(pool);
    if (!q) {
      q = new Queue<QueueJobData>(poolQueueName(pool), { connection: this.connection, prefix: this.prefix });
      // The shared connection's errors, which /readyz reports (see createRedis); without a listener they would crash the process.
      q.on('error', () => undefined);
      this.queues.set(pool, q);
    }
    return q;
  }

  /**
   * Appends the pool job's add to a transaction of the caller on this same
   * connection, the way BullMQ's own addBulk appends to a pipeline: the job
   * record and its queue entry then land atomically in one round trip.
   * Call `ready(pool)` before making the transaction: it must know BullMQ's scripts.
   */
  appendAdd(tx: ChainableCommander, pool: string, data: QueueJobData, priority: Priority, maxAttempts: number): void {
    const queue = this.get(pool);
    const job = new Job(queue, 'infer', data, poolJobOptions(data.id, priority, maxAttempts), data.id);
    // addJob appends its script synchronously, before its first await.
    void job.addJob(asBullTransaction(tx));
  }

  /** Resolves once the pool's queue has loaded BullMQ's scripts onto the connection (at once after the first time). */
  async ready(pool: string): Promise<void> {
    await this.get(pool).waitUntilReady();
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
