import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './free-port';
import { waitFor } from './test-redis';

const run = promisify(execFile);

export interface ClusterNode {
  port: number;
  /** Cluster bus port (node to node), chosen free rather than port + 10000. */
  busPort: number;
  /** Data dir: nodes.conf (the node's identity and view of the cluster) and the AOF. */
  dir: string;
}

export interface LocalRedisCluster {
  nodes: ClusterNode[];
  /** `127.0.0.1:p1,127.0.0.1:p2,...`: the value of REDIS_CLUSTER_NODES. */
  seeds: string;
  /** The parent of the nodes' data dirs; `stopRedisClusterAt(dir)` stops the cluster from another module. */
  dir: string;
  /** SIGKILLs node `i` and starts it again on its data (its AOF when appendonly), then waits for cluster_state:ok. */
  restartNode(i: number): Promise<void>;
  /** SIGKILLs node `i`, as a crash would, and resolves once it is gone; `restartNode(i)` brings it back. */
  killNode(i: number): Promise<void>;
  /** Stops every node and removes the data dirs. */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** Masters (no replicas); at least 3 for `redis-cli --cluster create`. Default 3. */
  masters?: number;
  /** AOF (`appendfsync always`) so a restarted node keeps its keys. Default true. */
  appendonly?: boolean;
  /** Where the nodes' data dirs go (created if missing), known before the start resolves; default a new temp dir. */
  dir?: string;
}

/**
 * Starts a local Redis Cluster from the redis-server and redis-cli on PATH:
 * `redis-server --cluster-enabled yes` per master on free ports, joined by
 * `redis-cli --cluster create ... --cluster-replicas 0`; resolves once every
 * node reports cluster_state:ok. Works in a jest globalSetup (put `seeds` in
 * REDIS_CLUSTER_NODES and `dir` in env for the teardown) or per test file.
 */
export async function startRedisCluster(opts: ClusterOptions = {}): Promise<LocalRedisCluster> {
  const masters = opts.masters ?? 3;
  const appendonly = opts.appendonly ?? true;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'inferq-redis-cluster-'));
  mkdirSync(dir, { recursive: true });
  const nodes: ClusterNode[] = [];
  const children = new Map<number, ChildProcess>();
  try {
    for (let i = 0; i < masters; i++) {
      const node = { port: await freePort(), busPort: await freePort(), dir: '' };
      node.dir = join(dir, String(node.port));
      mkdirSync(node.dir);
      nodes.push(node);
      children.set(i, startNode(node, appendonly));
    }
    await Promise.all(nodes.map((n) => waitFor(() => ping(n.port), 10_000, 50)));
    const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
    await waitClusterOk(nodes);
  } catch (err) {
    stopRedisClusterAt(dir);
    throw err;
  }
  return {
    nodes,
    seeds: nodes.map((n) => `127.0.0.1:${n.port}`).join(','),
    dir,
    killNode: (i) => killChild(children.get(i)),
    restartNode: async (i) => {
      const node = nodes[i];
      if (!node) throw new Error(`no node ${i}`);
      await killChild(children.get(i));
      children.set(i, startNode(node, appendonly));
      await waitFor(() => ping(node.port), 20_000, 50);
      await waitClusterOk(nodes);
    },
    stop: async () => {
      const exits = [...children.values()].map((c) =>
        c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : Promise.resolve(),
      );
      stopRedisClusterAt(dir);
      await Promise.all(exits);
    },
  };
}

async function killChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

function startNode(node: ClusterNode, appendonly: boolean): ChildProcess {
  const args = ['--port', String(node.port), '--cluster-port', String(node.busPort), '--bind', '127.0.0.1'];
  args.push('--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000');
  args.push('--dir', node.dir, '--save', '', '--appendonly', appendonly ? 'yes' : 'no', '--appendfsync', 'always');
  args.push('--maxmemory-policy', 'noeviction', '--logfile', join(node.dir, 'redis.log'));
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  child.on('error', () => undefined); // a missing redis-server shows as a node that never answers
  writeFileSync(join(node.dir, 'redis.pid'), String(child.pid ?? ''));
  return child;
}

/** SIGKILLs every node recorded under `dir` and removes it; safe to call twice. */
export function stopRedisClusterAt(dir: string): void {
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    try {
      process.kill(Number(readFileSync(join(dir, entry, 'redis.pid'), 'utf8')), 'SIGKILL');
    } catch {
      // already gone, or not a node dir
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

async function ping(port: number): Promise<true | undefined> {
  const r = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === 'PONG' ? true : undefined;
  } catch {
    return undefined;
  } finally {
    r.disconnect();
  }
}

/** Every node must agree, or a client sent to one still joining gets CLUSTERDOWN. */
async function waitClusterOk(nodes: ClusterNode[]): Promise<void> {
  await waitFor(
    async () => {
      const infos = await Promise.all(nodes.map((n) => clusterInfo(n.port)));
      return infos.every((i) => /cluster_state:ok/.test(i) && /cluster_slots_ok:16384/.test(i)) ? true : undefined;
    },
    30_000,
    100,
  );
}

async function clusterInfo(port: number): Promise<string> {
  const r = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return String(await r.call('CLUSTER', 'INFO'));
  } catch {
    return '';
  } finally {
    r.disconnect();
  }
}
