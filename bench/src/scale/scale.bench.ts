import autocannon from 'autocannon';
import type { Cluster, Redis } from 'ioredis';
import { redisKeys } from '@inferq/core';
import { waitFor } from '@inferq/testkit';
import { sleep } from '../load';
import { FLEET_KEY, FLEET_TENANT, POOL_MODELS, POOLS, startFleet } from './fleet';
import { nodeStats, statsDelta } from './node-stats';
import { clusterTarget, standaloneTarget } from './scale-target';
import type { ScaleTarget } from './scale-target';

export interface ScaleRow {
  redis: 'standalone' | 'cluster';
  workers: number;
  apis: number;
  pools: number;
  jobs: number;
  jobsPerS: number;
  /** Redis CPU per job on each shard (µs); standalone Redis is one shard. */
  redisCpuUsPerJobByShard: number[];
  /** The pools whose queue and jobs each shard holds, in the same order. */
  poolsByShard: string[][];
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
async function finished(redis: Redis | Cluster, prefix: string): Promise<number> {
  const day = new Date().toISOString().slice(0, 10);
  const jobs = await Promise.all(
    POOLS.map((pool, i) => redis.hget(redisKeys(prefix).usage(FLEET_TENANT, day, pool), `${POOL_MODELS[i]}|jobs`)),
  );
  return jobs.reduce((n, j) => n + Number(j ?? 0), 0);
}

/**
 * The pipeline with 1, 2 and 4 worker processes behind 2 api processes, over
 * 3 pools, on a private Redis (the shared one would mix in other users' CPU):
 * standalone, or a 3-master cluster with the pools on different masters.
 * jobs/s from the first submit to the last job finished, and each shard's
 * Redis CPU per job from INFO over the same window.
 */
export async function scaleBench(
  runId: string,
  o: { jobs: number; workers: number[]; cluster?: boolean },
): Promise<ScaleRow[]> {
  const target = await (o.cluster ? clusterTarget() : standaloneTarget());
  try {
    const rows: ScaleRow[] = [];
    for (const workers of o.workers) rows.push(await scaleRow(target, runId, workers, o.jobs));
    return rows;
  } finally {
    await target.stop();
  }
}

async function scaleRow(target: ScaleTarget, runId: string, workers: number, jobs: number): Promise<ScaleRow> {
  const prefix = await target.prefix(`scale-${runId}-${target.kind === 'cluster' ? 'c' : ''}w${workers}`);
  const fleet = await startFleet({ redisEnv: target.redisEnv, prefix, apis: 2, workers, dispatcher: false });
  try {
    if (fleet.notStarted.length > 0) throw new Error(`did not start: ${fleet.notStarted.join(', ')}`);
    await sleep(1000);
    const before = await Promise.all(target.ports.map(nodeStats));
    const t0 = Date.now();
    const { sent, refused } = await submit(fleet.apiUrls, jobs, 64);
    const done = sent - refused;
    await waitFor(async () => ((await finished(target.redis, prefix)) >= done ? true : undefined), 180_000, 50);
    const elapsed = Date.now() - t0;
    const after = await Promise.all(target.ports.map(nodeStats));
    return {
      redis: target.kind,
      workers,
      apis: 2,
      pools: POOL_MODELS.length,
      jobs: done,
      jobsPerS: Math.round((done * 1000) / elapsed),
      redisCpuUsPerJobByShard: after.map((a, i) => Math.round(statsDelta(before[i], a).cpuUs / Math.max(1, done))),
      poolsByShard: await target.poolsByShard(prefix),
      refused,
    };
  } finally {
    await fleet.stop();
  }
}
