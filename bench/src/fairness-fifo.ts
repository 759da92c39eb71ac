import { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { JobRequest } from '@inferq/core';
import { median, percentile, sleep } from './load';
import { startNode } from './proc';
import { perJob, perJobByCommand, redisSnapshot } from './redis-stats';

/** A queue wait sample: count, median, 99th percentile and largest, ms. */
export interface WaitStats {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export function waitStats(waits: number[]): WaitStats {
  return {
    n: waits.length,
    p50: waits.length ? median(waits) : NaN,
    p99: percentile(waits, 99),
    max: waits.length ? Math.max(...waits) : NaN,
  };
}

/** The flood and the quiet arrivals, the same for the scheduler and for FIFO. */
export interface FloodPlan {
  /** Jobs the noisy tenant has queued when the worker starts. */
  noisyJobs: number;
  /** Jobs the quiet tenant submits, one every `quietEveryMs` from the worker's start. */
  quietJobs: number;
  quietEveryMs: number;
  /** Simulated latency of every job (ms) and the worker's slots. */
  latencyMs: number;
  concurrency: number;
}

/** The same flood through plain BullMQ: the quiet jobs' waits and Redis's bill for all the jobs. */
export interface FifoFigures {
  quietWaitMs: WaitStats;
  commandsPerJob: number;
  redisCpuUsPerJob: number;
  commandBreakdown: Record<string, number>;
}

const r1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Today's behaviour, the baseline of the fairness phase: one BullMQ queue
 * ordered by arrival. The noisy tenant's jobs are added first (addBulk), then
 * a raw BullMQ Worker process starts (baseline-sleep-worker: the same slots,
 * a processor that sleeps the same latency) and the quiet tenant adds a job
 * every `quietEveryMs`. A quiet job's wait is BullMQ's own processedOn -
 * timestamp. Redis commands and CPU per job from INFO over the whole run.
 */
export async function fifoFlood(redisUrl: string, prefix: string, plan: FloodPlan): Promise<FifoFigures> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('bench', { connection, prefix });
  const data = JobRequest.parse({ model: 'sim/echo', input: { prompt: 'hello from the benchmark' } });
  const total = plan.noisyJobs + plan.quietJobs;
  try {
    const before = await redisSnapshot(connection);
    for (let i = 0; i < plan.noisyJobs; i += 500) {
      const n = Math.min(500, plan.noisyJobs - i);
      await queue.addBulk(Array.from({ length: n }, () => ({ name: 'noisy', data })));
    }
    const worker = startNode('bench/dist/baseline-sleep-worker.js', {
      REDIS_URL: redisUrl,
      BENCH_PREFIX: prefix,
      WORKER_CONCURRENCY: String(plan.concurrency),
      SLEEP_MS: String(plan.latencyMs),
    });
    const adds: Array<Promise<Job>> = [];
    try {
      await worker.waitFor(/worker started/);
      for (let i = 0; i < plan.quietJobs; i++) {
        adds.push(queue.add('quiet', data));
        await sleep(plan.quietEveryMs);
      }
      await Promise.all(adds);
      const deadline = Date.now() + 60_000 + (total * plan.latencyMs) / plan.concurrency;
      while ((await queue.getCompletedCount()) < total) {
        if (Date.now() > deadline) throw new Error(`FIFO flood: only ${await queue.getCompletedCount()} of ${total}`);
        await sleep(20);
      }
    } finally {
      await worker.stop();
    }
    const after = await redisSnapshot(connection);
    const cost = perJob(before, after, total);
    const waits: number[] = [];
    for (const added of await Promise.all(adds)) {
      const job = await Job.fromId(queue, added.id!);
      if (job?.processedOn) waits.push(job.processedOn - job.timestamp);
    }
    return {
      quietWaitMs: waitStats(waits),
      commandsPerJob: r1(cost.commands),
      redisCpuUsPerJob: Math.round(cost.cpuUs),
      commandBreakdown: perJobByCommand(before, after, total),
    };
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
