import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@inferq/testkit';
import { startNode } from '../proc';
import type { Proc } from '../proc';

export const FLEET_KEY = 'scale-key-0123456789abcdef';
export const FLEET_ADMIN = 'scale-admin-token-0123456789';
export const FLEET_TENANT = 'scale';

/** Three pools of the sim backend: `default` (sim/echo) and two of a models file. */
export const POOLS = ['default', 'pool-a', 'pool-b'] as const;
export const POOL_MODELS = ['sim/echo', 'sim/pool-a', 'sim/pool-b'];

function modelsFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'inferq-scale-')), 'models.json');
  const models = POOLS.slice(1).map((pool) => ({ id: `sim/${pool}`, backend: 'sim', pool }));
  writeFileSync(file, JSON.stringify({ models }));
  return file;
}

export interface FleetOptions {
  /** REDIS_URL or REDIS_CLUSTER_NODES. */
  redisEnv: Record<string, string>;
  prefix: string;
  apis: number;
  workers: number;
  dispatcher: boolean;
  env?: Record<string, string>;
  /** How long to wait for each process's start line before going on without it (ms). */
  startTimeoutMs?: number;
}

export interface Fleet {
  apiUrls: string[];
  procs: Proc[];
  /** Processes whose start line never came. */
  notStarted: string[];
  stop(): Promise<void>;
}

/** api, worker and dispatcher processes (the built apps, as `npm run start:*` runs them) on one Redis. */
export async function startFleet(o: FleetOptions): Promise<Fleet> {
  const env = {
    ...o.redisEnv,
    QUEUE_PREFIX: o.prefix,
    HOST: '127.0.0.1',
    METRICS_PORT: '0',
    API_KEYS: `${FLEET_TENANT}:${FLEET_KEY}`,
    ADMIN_TOKEN: FLEET_ADMIN,
    MODELS_FILE: modelsFile(),
    WORKER_POOLS: POOLS.join(','),
    LOG_LEVEL: 'warn',
    SIM_TTFT_MS: '0',
    SIM_TOKEN_MS: '0',
    RATE_LIMIT_RPM: '100000000',
    MAX_QUEUED_PER_TENANT: '100000000',
    WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    ...o.env,
  };
  const ports = await Promise.all(Array.from({ length: o.apis }, () => freePort()));
  const starting: Array<[string, Proc, RegExp]> = [
    ...ports.map((port, i): [string, Proc, RegExp] => [
      `api ${i + 1}`,
      startNode('apps/api/dist/main.js', { ...env, PORT: String(port), LOG_LEVEL: 'info' }),
      /api listening/,
    ]),
    ...Array.from({ length: o.workers }, (_, i): [string, Proc, RegExp] => [
      `worker ${i + 1}`,
      startNode('apps/worker/dist/main.js', { ...env, LOG_LEVEL: 'info' }),
      /worker started/,
    ]),
  ];
  if (o.dispatcher) {
    starting.push([
      'dispatcher',
      startNode('apps/dispatcher/dist/main.js', { ...env, LOG_LEVEL: 'info' }),
      /dispatcher started/,
    ]);
  }
  const notStarted: string[] = [];
  await Promise.all(
    starting.map(([name, proc, line]) =>
      proc.waitFor(line, o.startTimeoutMs ?? 30_000).catch(() => void notStarted.push(name)),
    ),
  );
  const procs = starting.map(([, p]) => p);
  return {
    apiUrls: ports.map((p) => `http://127.0.0.1:${p}`),
    procs,
    notStarted,
    stop: async () => void (await Promise.all(procs.map((p) => p.stop()))),
  };
}
