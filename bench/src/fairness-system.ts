import type { Redis } from 'ioredis';
import { redisKeys } from '@inferq/core';
import type { FloodPlan } from './fairness-fifo';
import { sleep, submitLoad } from './load';

export interface FairnessPlan extends FloodPlan {
  /** Jobs each of the two weighted tenants queues. */
  weightJobs: number;
  /** Jobs of the sample whose scheduler calls are recorded and replayed. */
  costSample: number;
}

/**
 * Quick: about 25 s; full: about 75 s. Both at 200 jobs a second, which keeps
 * the worker well below what this 2-core machine can run (a CPU-bound worker
 * adds its own event-loop delay to every wait); the noisy backlog outlasts the
 * quiet tenant's submissions in FIFO.
 */
export const FAIRNESS_PLAN: Record<'quick' | 'full', FairnessPlan> = {
  quick: {
    noisyJobs: 1000,
    quietJobs: 30,
    quietEveryMs: 100,
    latencyMs: 20,
    concurrency: 4,
    weightJobs: 400,
    costSample: 300,
  },
  full: {
    noisyJobs: 5000,
    quietJobs: 50,
    quietEveryMs: 100,
    latencyMs: 20,
    concurrency: 4,
    weightJobs: 600,
    costSample: 1000,
  },
};

/** The fairness phase's inferq (one api, one worker) and reads of its tenants' usage. */
export interface FairSystem {
  url: string;
  prefix: string;
  redis: Redis;
}

/** The phase's one worker process, started and stopped between the parts of the phase. */
export interface WorkerControl {
  start(): Promise<void>;
  /** Drains it; its slots leave the pool, so new jobs wait in the backlogs. */
  stop(): Promise<void>;
}

export const ADMIN_TOKEN = 'bench-admin-token-0123456789';
export const keyOf = (tenant: string) => `fair-${tenant}-key-0123456789`;
export const authOf = (tenant: string) => ({
  authorization: `Bearer ${keyOf(tenant)}`,
  'content-type': 'application/json',
});

/** `n` submits of `body` by `tenant` through autocannon; every one must be accepted. */
export async function submitAll(sys: FairSystem, tenant: string, n: number, body: string, connections = 50) {
  const res = await submitLoad({ url: sys.url, headers: authOf(tenant) }, { connections, amount: n, body });
  if (res.non2xx || res.errors) throw new Error(`${tenant}: ${res.non2xx} non-2xx and ${res.errors} errors of ${n}`);
}

/** Today's usage of a tenant (what GET /v1/usage reports): jobs finished and their tokens, input + output. */
export async function usageOf(sys: FairSystem, tenant: string): Promise<{ jobs: number; tokens: number }> {
  const key = redisKeys(sys.prefix).usage(tenant, new Date().toISOString().slice(0, 10), 'default');
  const [jobs, input, output] = await sys.redis.hmget(
    key,
    'sim/echo|jobs',
    'sim/echo|input_tokens',
    'sim/echo|output_tokens',
  );
  return { jobs: Number(jobs ?? 0), tokens: Number(input ?? 0) + Number(output ?? 0) };
}

/** Waits until `tenant` has `n` jobs finished today. */
export async function waitJobs(sys: FairSystem, tenant: string, n: number, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await usageOf(sys, tenant)).jobs < n) {
    if (Date.now() > deadline) throw new Error(`${tenant}: only ${(await usageOf(sys, tenant)).jobs} of ${n} finished`);
    await sleep(20);
  }
}
