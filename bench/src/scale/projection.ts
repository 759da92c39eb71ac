import type { ScaleRow } from './scale.bench';

/** What the cluster rows say about more masters: Redis CPU per job and the jobs/s it allows. */
export interface Projection {
  /**
   * The row it is read from: the fastest one. On a small machine every process shares the
   * cores, and the slower rows are the ones where contention inflates Redis' CPU per job too.
   */
  workers: number;
  /** Redis CPU per job over all shards, and on the busiest one (µs). */
  totalUsPerJob: number;
  busiestUsPerJob: number;
  /** Jobs/s one busy Redis core carries at the busiest shard's cost: the bound of this 3-master cluster. */
  measuredBound: number;
  /** Jobs/s N masters carry when the pools spread evenly: N cores over the total CPU per job. */
  byMasters: Array<{ masters: number; jobsPerS: number }>;
  /** The same bound for standalone Redis (one core, its CPU per job). */
  standaloneBound?: number;
}

const perSecond = (us: number): number => Math.round(1e6 / Math.max(1, us));

export function projection(cluster: ScaleRow[], standalone: ScaleRow[]): Projection | undefined {
  const row = [...cluster].sort((a, b) => b.jobsPerS - a.jobsPerS)[0];
  if (!row) return undefined;
  const total = row.redisCpuUsPerJobByShard.reduce((a, b) => a + b, 0);
  const busiest = Math.max(...row.redisCpuUsPerJobByShard);
  const alone = standalone.find((r) => r.workers === row.workers)?.redisCpuUsPerJobByShard[0];
  return {
    workers: row.workers,
    totalUsPerJob: total,
    busiestUsPerJob: busiest,
    measuredBound: perSecond(busiest),
    byMasters: [3, 6, 12].map((masters) => ({
      masters,
      jobsPerS: Math.round((masters * 1e6) / Math.max(1, total)),
    })),
    standaloneBound: alone === undefined ? undefined : perSecond(alone),
  };
}

export function projectionMarkdown(p: Projection): string[] {
  const out = [
    '',
    `Projection (from the ${p.workers}-worker cluster row): a job costs ${p.totalUsPerJob} µs of Redis CPU over all shards,` +
      ` ${p.busiestUsPerJob} µs on the busiest one. Redis runs commands on one core per node, so this 3-master cluster` +
      ` is bound near ${p.measuredBound} jobs/s (the busiest shard at 100 %)` +
      (p.standaloneBound === undefined ? '' : `, standalone Redis near ${p.standaloneBound} jobs/s`) +
      '. With pools spread evenly over N masters (several pools per master), each carries 1/N of the cost:',
    '',
    '| masters | jobs/s Redis carries |',
    '| --- | --- |',
    ...p.byMasters.map((m) => `| ${m.masters} | ${m.jobsPerS} |`),
  ];
  return out;
}
