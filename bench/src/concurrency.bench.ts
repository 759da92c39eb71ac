import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { JobRequest, newJobId, redisKeys } from '@inferq/core';
import { enqueueNewJob, JobStore, PoolQueues } from '@inferq/store';
import { sleep } from './load';
import { peakRss, startNode } from './proc';

export interface ConcurrencyFigures {
  jobs: number;
  latencyMs: number;
  concurrency: number;
  wallMs: number;
  idealMs: number;
  ratio: number;
  workerPeakRssMb: number;
  /** The same jobs through a raw BullMQ worker whose processor only sleeps the latency. */
  bullmq: BullmqConcurrencyFigures;
  /** inferq's wall over raw BullMQ's: what inferq's worker adds at this concurrency. */
  wallVsBullmq: number;
}

export interface BullmqConcurrencyFigures {
  wallMs: number;
  /** wall / ideal, as for inferq. */
  ratio: number;
  workerPeakRssMb: number;
}

const r2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Benchmark 4: one worker process, `jobs` queued jobs of a fixed simulated
 * latency and as many slots: wall time from the worker's start to the last
 * finished job, against the ideal jobs x latency / concurrency. Then the same
 * for raw BullMQ (bullmqConcurrency) in the same run, as the baseline.
 */
export async function concurrencyBench(
  redis: Redis,
  redisUrl: string,
  runId: string,
  jobs: number,
  latencyMs: number,
): Promise<ConcurrencyFigures> {
  const prefix = `bench-conc-${runId}`;
  const store = new JobStore(redis, { prefix, retentionMs: 3_600_000 });
  const queues = new PoolQueues(redis, prefix);
  const request = JobRequest.parse({ model: 'sim/echo', input: { prompt: 'one' } });
  const ids: string[] = [];
  for (let i = 0; i < jobs; i += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, jobs - i) }, () => {
        const id = newJobId('default');
        ids.push(id);
        return enqueueNewJob(store, queues, { id, tenant: 'bench', pool: 'default', createdAt: Date.now(), request });
      }),
    );
  }
  const worker = startNode('apps/worker/dist/main.js', {
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    METRICS_PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    WORKER_CONCURRENCY: String(jobs),
    SIM_TTFT_MS: String(latencyMs),
    SIM_TOKEN_MS: '0',
  });
  const usageKey = redisKeys(prefix).usage('bench', new Date().toISOString().slice(0, 10), 'default');
  const { result: wallMs, peakMb } = await peakRss(worker, async () => {
    await worker.waitFor(/worker started/);
    const t0 = Date.now();
    while (Number((await redis.hget(usageKey, 'sim/echo|jobs')) ?? 0) < jobs) await sleep(10);
    return Date.now() - t0;
  });
  await worker.stop();
  await queues.close();
  const idealMs = (jobs * latencyMs) / jobs;
  const bullmq = await bullmqConcurrency(redisUrl, `bench-conc-bullmq-${runId}`, jobs, latencyMs);
  return {
    jobs,
    latencyMs,
    concurrency: jobs,
    wallMs,
    idealMs,
    ratio: r2(wallMs / idealMs),
    workerPeakRssMb: peakMb,
    bullmq,
    wallVsBullmq: r2(wallMs / bullmq.wallMs),
  };
}

/**
 * The baseline: `jobs` pre-queued BullMQ jobs (addBulk, on a fresh prefix),
 * one process running a plain BullMQ Worker with `jobs` concurrency whose
 * processor sleeps `latencyMs`; wall from its 'worker started' line to the
 * completed count reaching `jobs`.
 */
export async function bullmqConcurrency(
  redisUrl: string,
  prefix: string,
  jobs: number,
  latencyMs: number,
): Promise<BullmqConcurrencyFigures> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('bench', { connection, prefix });
  try {
    const data = JobRequest.parse({ model: 'sim/echo', input: { prompt: 'one' } });
    for (let i = 0; i < jobs; i += 500) {
      await queue.addBulk(Array.from({ length: Math.min(500, jobs - i) }, () => ({ name: 'infer', data })));
    }
    const worker = startNode('bench/dist/baseline-sleep-worker.js', {
      REDIS_URL: redisUrl,
      BENCH_PREFIX: prefix,
      WORKER_CONCURRENCY: String(jobs),
      SLEEP_MS: String(latencyMs),
    });
    try {
      const { result: wallMs, peakMb } = await peakRss(worker, async () => {
        await worker.waitFor(/worker started/);
        const t0 = Date.now();
        const deadline = t0 + 60_000 + jobs * latencyMs;
        for (;;) {
          const done = await queue.getCompletedCount();
          if (done >= jobs) return Date.now() - t0;
          if (Date.now() > deadline) throw new Error(`raw BullMQ concurrency: only ${done} of ${jobs} jobs completed`);
          await sleep(10);
        }
      });
      return { wallMs, ratio: r2(wallMs / latencyMs), workerPeakRssMb: peakMb };
    } finally {
      await worker.stop();
    }
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
