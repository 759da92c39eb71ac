import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { redisKeys } from '@inferq/core';
import { freePort } from '@inferq/testkit';
import { startNode } from './proc';
import type { Proc } from './proc';

export type SystemName = 'inferq' | 'naive' | 'floor';

/** One system under test: an HTTP submit endpoint and a worker, each its own process. */
export interface System {
  name: SystemName;
  /** Redis key prefix of this system's queue (and records). */
  prefix: string;
  url: string;
  headers: Record<string, string>;
  api: Proc;
  worker: Proc;
  /** Jobs finished since this system started. */
  completed(): Promise<number>;
  stop(): Promise<void>;
}

export const BENCH_KEY = 'bench-key-0123456789abcdef';
const TENANT = 'bench';

export interface SystemOptions {
  redisUrl: string;
  runId: string;
  concurrency?: number;
  env?: Record<string, string>;
}

export async function startSystem(name: SystemName, o: SystemOptions): Promise<System> {
  return name === 'inferq' ? startInferq(o) : startBaseline(name, o);
}

/** The env of an inferq api and worker under benchmark: limits out of the way, sim at zero latency unless `env` says. */
export function inferqEnv(o: {
  redisUrl: string;
  prefix: string;
  port: number;
  concurrency?: number;
  env?: Record<string, string>;
}) {
  return {
    REDIS_URL: o.redisUrl,
    QUEUE_PREFIX: o.prefix,
    HOST: '127.0.0.1',
    PORT: String(o.port),
    METRICS_PORT: '0',
    API_KEYS: `${TENANT}:${BENCH_KEY}`,
    LOG_LEVEL: process.env.BENCH_LOG ?? 'info',
    SIM_TTFT_MS: '0',
    SIM_TOKEN_MS: '0',
    RATE_LIMIT_RPM: '100000000',
    MAX_QUEUED_PER_TENANT: '100000000',
    WORKER_CONCURRENCY: String(o.concurrency ?? 32),
    ...o.env,
  };
}

async function startInferq(o: SystemOptions): Promise<System> {
  const prefix = `bench-inferq-${o.runId}`;
  const port = await freePort();
  const env = inferqEnv({ redisUrl: o.redisUrl, prefix, port, concurrency: o.concurrency, env: o.env });
  const api = startNode('apps/api/dist/main.js', env);
  const worker = startNode('apps/worker/dist/main.js', env);
  await Promise.all([api.waitFor(/api listening/), worker.waitFor(/worker started/)]);
  const redis = new Redis(o.redisUrl);
  const usageKey = () => redisKeys(prefix).usage(TENANT, new Date().toISOString().slice(0, 10), 'default');
  return {
    name: 'inferq',
    prefix,
    url: `http://127.0.0.1:${port}`,
    headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' },
    api,
    worker,
    completed: async () => Number((await redis.hget(usageKey(), 'sim/echo|jobs')) ?? 0),
    stop: async () => {
      await Promise.all([api.stop(), worker.stop()]);
      redis.disconnect();
    },
  };
}

async function startBaseline(name: 'naive' | 'floor', o: SystemOptions): Promise<System> {
  const prefix = `bench-${name}-${o.runId}`;
  const port = await freePort();
  const env = {
    REDIS_URL: o.redisUrl,
    BENCH_PREFIX: prefix,
    PORT: String(port),
    WORKER_CONCURRENCY: String(o.concurrency ?? 32),
  };
  const api = startNode(`bench/dist/baseline-${name}.js`, env);
  const worker = startNode('bench/dist/baseline-worker.js', env);
  await Promise.all([api.waitFor(/listening/), worker.waitFor(/worker started/)]);
  const redis = new Redis(o.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('bench', { connection: redis, prefix });
  return {
    name,
    prefix,
    url: `http://127.0.0.1:${port}`,
    headers: { 'content-type': 'application/json' },
    api,
    worker,
    completed: () => queue.getCompletedCount(),
    stop: async () => {
      await Promise.all([api.stop(), worker.stop()]);
      await queue.close();
      redis.disconnect();
    },
  };
}

/** The request every system is sent. */
export const JOB_BODY = JSON.stringify({ model: 'sim/echo', input: { prompt: 'hello from the benchmark' } });
