import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { redisKeys } from '@inferq/core';
import { freePort, waitFor } from '@inferq/testkit';
import { sleep } from '../load';
import { FLEET_KEY, FLEET_TENANT, POOL_MODELS, POOLS, startFleet } from './fleet';
import { nodeStats, statsDelta } from './node-stats';

export interface ScaleRow {
  workers: number;
  apis: number;
  pools: number;
  jobs: number;
  jobsPerS: number;
  /** Redis CPU per job on each shard (µs); standalone Redis is one shard. */
  redisCpuUsPerJobByShard: number[];
  /** Submits not answered 202. */
  refused: number;
}

/** Jobs submitted by the api processes, round robin over the pools' models: how many were sent and refused. */
async function submit(
  apiUrls: string[],
  jobs: number,
  connections: number,
): Promise<{ sent: number; refused: number }> {
  const bodies = POOL_MODELS.map((model) => ({
    method: 'POST' as const,
    body: JSON.stringify({ model, input: { prompt: 'hello from the scale benchmark' } }),
  }));
  const share = Math.ceil(jobs / apiUrls.length);
  const results = await Promise.all(
    apiUrls.map((url) =>
      autocannon({
        url: `${url}/v1/jobs`,
        headers: { authorization: `Bearer ${FLEET_KEY}`, 'content-type': 'application/json' },
        requests: bodies,
        connections: Math.max(1, Math.floor(connections / apiUrls.length)),
        amount: share,
      }),
    ),
  );
  return { sent: share * apiUrls.length, refused: results.reduce((n, r) => n + r.non2xx + r.errors, 0) };
}

/** Jobs finished since the usage hashes began: each pool's model counts in its pool's hash. */
async function finished(redis: Redis, prefix: string): Promise<number> {
  const day = new Date().toISOString().slice(0, 10);
  const jobs = await Promise.all(
    POOLS.map((pool, i) => redis.hget(redisKeys(prefix).usage(FLEET_TENANT, day, pool), `${POOL_MODELS[i]}|jobs`)),
  );
  return jobs.reduce((n, j) => n + Number(j ?? 0), 0);
}

/**
 * The pipeline with 1, 2 and 4 worker processes behind 2 api processes, over
 * 3 pools, on a private standalone Redis (the shared one would mix in other
 * users' CPU): jobs/s from the first submit to the last job finished, and
 * Redis CPU per job from INFO over the same window.
 */
export async function scaleBench(runId: string, o: { jobs: number; workers: number[] }): Promise<ScaleRow[]> {
  const port = await freePort();
  const server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const redis = new Redis(port, '127.0.0.1', { retryStrategy: () => 100 });
  redis.on('error', () => undefined);
  try {
    await waitFor(() => redis.ping().then(() => true), 10_000, 100);
    const rows: ScaleRow[] = [];
    for (const workers of o.workers) {
      const prefix = `scale-${runId}-w${workers}`;
      const fleet = await startFleet({
        redisEnv: { REDIS_URL: `redis://127.0.0.1:${port}` },
        prefix,
        apis: 2,
        workers,
        dispatcher: false,
      });
      try {
        if (fleet.notStarted.length > 0) throw new Error(`did not start: ${fleet.notStarted.join(', ')}`);
        await sleep(1000);
        const before = await nodeStats(port);
        const t0 = Date.now();
        const { sent, refused } = await submit(fleet.apiUrls, o.jobs, 64);
        const target = sent - refused;
        await waitFor(async () => ((await finished(redis, prefix)) >= target ? true : undefined), 180_000, 50);
        const elapsed = Date.now() - t0;
        const delta = statsDelta(before, await nodeStats(port));
        rows.push({
          workers,
          apis: 2,
          pools: POOL_MODELS.length,
          jobs: target,
          jobsPerS: Math.round((target * 1000) / elapsed),
          redisCpuUsPerJobByShard: [Math.round(delta.cpuUs / Math.max(1, target))],
          refused,
        });
      } finally {
        await fleet.stop();
      }
    }
    return rows;
  } finally {
    redis.disconnect();
    server.kill('SIGKILL');
  }
}
