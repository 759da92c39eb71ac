import type { PoolBacklog, WorkerHeartbeat } from '@inferq/core';
import { renderBacklogTables } from './backlog-tables';
import { esc } from './html';

export const FLEET_PATH = '/admin/fleet';

export interface QueueRow {
  name: string;
  counts: Record<string, number>;
}

const ago = (iso: string, now: number): string => `${Math.max(0, Math.round((now - Date.parse(iso)) / 1000))} s ago`;

const QUEUE_COLUMNS = ['waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed'];

export interface FleetView {
  workers: WorkerHeartbeat[];
  /** Each pool's fair-scheduler backlogs (jobs not yet in BullMQ). */
  pools: PoolBacklog[];
  queues: QueueRow[];
}

/** The fleet page: live workers, the pools' backlogs per tenant and the BullMQ queues; refreshes itself every 5 s. */
export function renderFleetPage({ workers, pools, queues }: FleetView, now = Date.now()): string {
  const workerRows = workers
    .map(
      (w) =>
        `<tr><td>${esc(w.id)}</td><td>${esc(w.host)}</td><td>${esc(w.pid)}</td><td>${esc(w.pools.join(', '))}</td>` +
        `<td>${esc(w.concurrency)}</td><td>${esc(w.in_flight)}</td><td>${esc(w.version)}</td>` +
        `<td>${esc(w.started_at)}</td><td>${esc(ago(w.last_heartbeat_at, now))}</td></tr>`,
    )
    .join('');
  const queueRows = queues
    .map(
      (q) =>
        `<tr><td>${esc(q.name)}</td>${QUEUE_COLUMNS.map((c) => `<td>${esc(q.counts[c] ?? 0)}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>inferq fleet</title><style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#1f2937}table{border-collapse:collapse;margin-bottom:2rem}
th,td{border:1px solid #d1d5db;padding:.35rem .7rem;text-align:left}th{background:#f3f4f6}
</style></head><body>
<h1>inferq fleet</h1><p><a href="/admin/queues">Queues (Bull Board)</a></p>
<h2>Workers (${workers.length} live)</h2>
<table id="workers"><thead><tr><th>id</th><th>host</th><th>pid</th><th>pools</th><th>concurrency</th><th>in flight</th>
<th>version</th><th>started</th><th>last heartbeat</th></tr></thead><tbody>${workerRows || '<tr><td colspan="9">no live workers</td></tr>'}</tbody></table>
${renderBacklogTables(pools)}
<h2>Queues (BullMQ: jobs handed to workers)</h2>
<table id="queues"><thead><tr><th>queue</th>${QUEUE_COLUMNS.map((c) => `<th>${c}</th>`).join('')}</tr></thead><tbody>${queueRows}</tbody></table>
</body></html>`;
}
