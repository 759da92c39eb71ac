import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort, startMonitor, startRedisCluster, startWebhookReceiver, waitFor } from '@inferq/testkit';
import { FLEET_ADMIN, FLEET_KEY, POOL_MODELS, startFleet } from './fleet';
import type { Fleet } from './fleet';
import { nodeStats, statsDelta } from './node-stats';
import type { NodeStats } from './node-stats';
import { runScenario } from './scenario';
import type { StepResult } from './scenario';
import { SlotAudit } from './slot-audit';
import type { CrossSlot, Monitored } from './slot-audit';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Slow enough that the cancel step finds its job running (ms). */
const SIM = { SIM_TTFT_MS: '50', SIM_TOKEN_MS: '20' };

async function scenarioOn(fleet: Fleet, between: (step: string) => Promise<void>): Promise<StepResult[]> {
  const receiver = await startWebhookReceiver();
  try {
    const target = {
      apiUrl: fleet.apiUrls[0] ?? '',
      apiKey: FLEET_KEY,
      adminToken: FLEET_ADMIN,
      webhookUrl: `${receiver.url}/hook`,
      models: POOL_MODELS,
    };
    return await runScenario(target, between);
  } finally {
    await receiver.close();
  }
}

/**
 * The pipeline's walk (scenario.ts) on a private standalone Redis under
 * MONITOR: every command, script and transaction whose keys span slots.
 */
export async function auditSlots(
  runId: string,
): Promise<{ steps: StepResult[]; crossSlot: CrossSlot[]; commands: number }> {
  const port = await freePort();
  const server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  await waitFor(() => answers(port), 10_000, 100);
  const query = new Redis(port, '127.0.0.1');
  try {
    const seen: Monitored[] = [];
    const monitor = await startMonitor('127.0.0.1', port, (line) => void seen.push(line));
    const prefix = `slot-audit-${runId}`;
    const audit = new SlotAudit(query, prefix);
    const fleet = await startFleet({
      redisEnv: { REDIS_URL: `redis://127.0.0.1:${port}` },
      prefix,
      apis: 1,
      workers: 1,
      dispatcher: true,
      env: SIM,
    });
    await sleep(500);
    await audit.step('start (api, worker, dispatcher)', seen.splice(0));
    const steps = await scenarioOn(fleet, async (step) => {
      await sleep(300);
      await audit.step(step, seen.splice(0));
    });
    await sleep(6000); // heartbeats, stall checks, the outbox's claims
    await audit.step('idle', seen.splice(0));
    await fleet.stop();
    await audit.step('stop', seen.splice(0));
    monitor.close();
    return { steps, crossSlot: audit.results(), commands: audit.commandsSeen };
  } finally {
    query.disconnect();
    server.kill('SIGKILL');
  }
}

export interface ClusterRun {
  steps: StepResult[];
  notStarted: string[];
  /** Per node: what it refused and failed during the run. */
  nodes: NodeStats[];
  /** Distinct warn/error log lines of the processes: message and error. */
  logErrors: string[];
}

/** The same walk on a local 3-master Redis Cluster: what each step answered, and what the nodes and processes said. */
export async function runOnCluster(runId: string): Promise<ClusterRun> {
  const cluster = await startRedisCluster({ appendonly: false });
  try {
    const ports = cluster.nodes.map((n) => n.port);
    const before = await Promise.all(ports.map(nodeStats));
    const fleet = await startFleet({
      redisEnv: { REDIS_CLUSTER_NODES: cluster.seeds },
      prefix: `cluster-run-${runId}`,
      apis: 1,
      workers: 1,
      dispatcher: true,
      env: SIM,
      startTimeoutMs: 20_000,
    });
    try {
      const steps = await scenarioOn(fleet, async () => void (await sleep(200)));
      await sleep(3000);
      const after = await Promise.all(ports.map(nodeStats));
      return {
        steps,
        notStarted: fleet.notStarted,
        nodes: after.map((a, i) => statsDelta(before[i], a)),
        logErrors: logErrors(fleet),
      };
    } finally {
      await fleet.stop();
    }
  } finally {
    await cluster.stop();
  }
}

function logErrors(fleet: Fleet): string[] {
  const lines = new Set<string>();
  for (const proc of fleet.procs) {
    for (const line of proc.output().split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
        if ((entry.level ?? 0) >= 40) lines.add(`${entry.msg ?? ''}: ${entry.err?.message ?? ''}`.slice(0, 200));
      } catch {
        // a line cut by the output buffer
      }
    }
  }
  return [...lines];
}

async function answers(port: number): Promise<true | undefined> {
  const r = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return true;
  } catch {
    return undefined;
  } finally {
    r.disconnect();
  }
}
