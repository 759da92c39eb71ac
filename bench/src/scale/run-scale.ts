import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../proc';
import { auditSlots, runOnCluster } from './cluster-check';
import type { ClusterRun } from './cluster-check';
import { scaleBench } from './scale.bench';
import type { ScaleRow } from './scale.bench';
import { projection, projectionMarkdown } from './projection';
import type { CrossSlot } from './slot-audit';
import type { StepResult } from './scenario';

export interface ScaleResults {
  date: string;
  standalone: ScaleRow[];
  /** The same rows on a 3-master cluster (absent in results of before it ran there). */
  cluster?: ScaleRow[];
  clusterWalk: ClusterRun;
  audit: { steps: StepResult[]; crossSlot: CrossSlot[]; commands: number };
}

function log(msg: string): void {
  process.stderr.write(`[bench --scale] ${msg}\n`);
}

/** `npm run bench -- --scale`: figures on standalone Redis, then what a cluster does with the same pipeline. */
export async function runScale(quick: boolean): Promise<string> {
  const runId = Date.now().toString(36);
  log('1. standalone Redis: 2 api processes, 3 pools, 1, 2 and 4 worker processes');
  const standalone = await scaleBench(runId, { jobs: quick ? 1500 : 6000, workers: [1, 2, 4] });
  log('2. local 3-master Redis Cluster, the pools on different masters: the same rows');
  const cluster = await scaleBench(runId, { jobs: quick ? 1500 : 6000, workers: [1, 2, 4], cluster: true });
  log('3. the pipeline on a local 3-master Redis Cluster');
  const clusterWalk = await runOnCluster(runId);
  log('4. slot audit: the same walk on standalone Redis under MONITOR');
  const audit = await auditSlots(runId);
  const results: ScaleResults = { date: new Date().toISOString(), standalone, cluster, clusterWalk, audit };
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'scale.json'), `${JSON.stringify(results, null, 2)}\n`);
  return scaleMarkdown(results);
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

function rowsTable(rows: ScaleRow[]): string[] {
  const out = [
    '| worker processes | api processes | pools | jobs | jobs/s | Redis CPU per job, per shard (µs) | pools per shard | refused |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const x of rows) {
    const pools = x.poolsByShard.map((p) => p.join('+') || '-').join(' / ');
    out.push(
      `| ${x.workers} | ${x.apis} | ${x.pools} | ${x.jobs} | ${x.jobsPerS} | ${x.redisCpuUsPerJobByShard.join(' / ')} | ${pools} | ${x.refused} |`,
    );
  }
  return out;
}

export function scaleMarkdown(r: ScaleResults): string {
  const out: string[] = ['## Scale-out (`npm run bench -- --scale`)', ''];
  out.push(
    'Standalone Redis (a private redis-server, no persistence), sim backend at 0 ms, 64 submit connections:',
    '',
  );
  out.push(...rowsTable(r.standalone));
  out.push('');
  const broken = r.audit.crossSlot.length;
  if (r.cluster) {
    out.push(
      'Redis Cluster (3 local masters, no persistence, one pool per master), the same fleet and load; per shard',
      'in the order of the pools it holds:',
      '',
      ...rowsTable(r.cluster),
    );
    const p = projection(r.cluster, r.standalone);
    if (p) out.push(...projectionMarkdown(p));
  } else {
    out.push(
      `Redis Cluster (3 masters): not measured. The pipeline does not run there yet: ${broken} operations of one walk through every route family touch keys of several slots (below), so submits are refused and workers fail.`,
    );
  }
  out.push('', '### The walk on a local 3-master cluster', '', '| step | HTTP statuses |', '| --- | --- |');
  for (const s of r.clusterWalk.steps) out.push(`| ${s.step} | ${s.statuses.join(' ')} |`);
  out.push(
    '',
    '| node | Redis CPU (ms) | commands | refused (by command) | error replies |',
    '| --- | --- | --- | --- | --- |',
  );
  r.clusterWalk.nodes.forEach((n, i) => {
    const fmt = (o: Record<string, number>) =>
      Object.entries(o)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || '-';
    out.push(`| ${i + 1} | ${Math.round(n.cpuUs / 1000)} | ${n.calls} | ${fmt(n.rejected)} | ${fmt(n.errors)} |`);
  });
  out.push('', 'Warnings and errors the processes logged:', '');
  for (const l of r.clusterWalk.logErrors) out.push(`- ${l}`);
  out.push('', `### Slot audit (${r.audit.commands} commands of the walk on standalone Redis under MONITOR)`, '');
  out.push(
    '| operation | fails with | keys (`<P>` = QUEUE_PREFIX) | slots | first seen in | times |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const x of r.audit.crossSlot) {
    out.push(
      `| ${cell(x.what)} | ${x.error} | ${cell(x.keys.slice(0, 8).join(' '))}${x.keys.length > 8 ? ' ...' : ''} | ${x.slots} | ${x.firstStep} | ${x.count} |`,
    );
  }
  return out.join('\n');
}
