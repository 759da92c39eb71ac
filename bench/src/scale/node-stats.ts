import { Redis } from 'ioredis';

/** What one Redis (or one cluster node) has done so far, from INFO. */
export interface NodeStats {
  /** used_cpu_user + used_cpu_sys (µs). */
  cpuUs: number;
  calls: number;
  /** Calls refused before running (CROSSSLOT, MOVED...) and failed while running, by command. */
  rejected: Record<string, number>;
  failed: Record<string, number>;
  /** Error replies by their first word (CROSSSLOT, MOVED, NOSCRIPT...). */
  errors: Record<string, number>;
}

export async function nodeStats(port: number): Promise<NodeStats> {
  const r = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1 });
  try {
    const [commands, cpu, errors] = await Promise.all([r.info('commandstats'), r.info('cpu'), r.info('errorstats')]);
    const rejected: Record<string, number> = {};
    const failed: Record<string, number> = {};
    let calls = 0;
    for (const m of commands.matchAll(/^cmdstat_([^:]+):calls=(\d+),.*rejected_calls=(\d+),failed_calls=(\d+)/gm)) {
      calls += Number(m[2]);
      if (Number(m[3]) > 0) rejected[m[1] ?? ''] = Number(m[3]);
      if (Number(m[4]) > 0) failed[m[1] ?? ''] = Number(m[4]);
    }
    const user = Number(/used_cpu_user:([\d.]+)/.exec(cpu)?.[1] ?? 0);
    const sys = Number(/used_cpu_sys:([\d.]+)/.exec(cpu)?.[1] ?? 0);
    const errs = Object.fromEntries(
      [...errors.matchAll(/^errorstat_([^:]+):count=(\d+)/gm)].map((m) => [m[1] ?? '', Number(m[2])]),
    );
    return { cpuUs: Math.round((user + sys) * 1e6), calls, rejected, failed, errors: errs };
  } finally {
    r.disconnect();
  }
}

const diff = (a: Record<string, number>, b: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(b)
      .map(([k, v]): [string, number] => [k, v - (a[k] ?? 0)])
      .filter(([, v]) => v > 0),
  );

/** What happened between two snapshots of the same node. */
export function statsDelta(before: NodeStats, after: NodeStats): NodeStats {
  return {
    cpuUs: after.cpuUs - before.cpuUs,
    calls: after.calls - before.calls,
    rejected: diff(before.rejected, after.rejected),
    failed: diff(before.failed, after.failed),
    errors: diff(before.errors, after.errors),
  };
}
