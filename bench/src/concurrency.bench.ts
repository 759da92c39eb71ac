import type { Redis } from 'ioredis';
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
}

/**
 * Benchmark 4: one worker process, `jobs` queued jobs of a fixed simulated
 * latency and as many slots: wall time from the worker's start to the last
 * finished job, against the ideal jobs x latency / concurrency.
 */
export async function concurrencyBench(redis: Redis, redisUrl: string, runId: string, jobs: number, latencyMs: number): Promise<ConcurrencyFigures> {
  const prefix = `bench-conc-${runId}`;
  const store = new JobStore(redis, { prefix, retentionMs: 3_600_000 });
  const queues = new PoolQueues(redis, prefix);
  const request = JobRequest.parse({ model: 'sim/echo', input: { prompt: 'one' } });
  const ids: string[] = [];
  for (let i = 0; i < jobs; i += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, jobs - i) }, () => {
        const id = newJobId();
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
  const usageKey = redisKeys(prefix).usage('bench', new Date().toISOString().slice(0, 10));
  const { result: wallMs, peakMb } = await peakRss(worker, async () => {
    await worker.waitFor(/worker started/);
    const t0 = Date.now();
    while (Number((await redis.hget(usageKey, 'sim/echo|jobs')) ?? 0) < jobs) await sleep(10);
    return Date.now() - t0;
  });
  await worker.stop();
  await queues.close();
  const idealMs = (jobs * latencyMs) / jobs;
  return { jobs, latencyMs, concurrency: jobs, wallMs, idealMs, ratio: Math.round((wallMs / idealMs) * 100) / 100, workerPeakRssMb: peakMb };
}
