import type { PoolBacklog } from '@inferq/core';
import { esc } from './html';

/** Seconds to one decimal, or a dash when nothing waits. */
const wait = (s: number | null): string => (s === null ? '&ndash;' : `${esc(s.toFixed(1))} s`);
const cells = (values: Array<string | number>): string => values.map((v) => `<td>${v}</td>`).join('');

/**
 * The fair scheduler's view of each pool (SPEC section 9): jobs wait in
 * per-tenant backlogs in Redis before BullMQ sees them, so Bull Board's counts
 * leave them out. One row per pool, then one per tenant and priority in order
 * of service (least virtual time first within a level).
 */
export function renderBacklogTables(pools: PoolBacklog[]): string {
  const poolRows = pools
    .map(
      (p) =>
        `<tr>${cells([esc(p.pool), p.capacity, p.in_flight, p.queued.high, p.queued.normal, p.queued.low])}` +
        `<td>${wait(p.oldest_queued_s)}</td></tr>`,
    )
    .join('');
  const tenantRows = pools
    .flatMap((p) =>
      p.tenants.map(
        (t) =>
          `<tr>${cells([esc(p.pool), esc(t.tenant), t.priority, t.queued, t.weight ?? '&ndash;'])}` +
          `<td>${esc(Math.round(t.virtual_time))}</td><td>${wait(t.oldest_queued_s)}</td></tr>`,
      ),
    )
    .join('');
  return `<h2>Pools</h2>
<table id="pools"><thead><tr><th>pool</th><th>capacity (slots)</th><th>in flight</th><th>queued high</th>
<th>queued normal</th><th>queued low</th><th>oldest wait</th></tr></thead><tbody>${poolRows}</tbody></table>
<h2>Backlogs by tenant</h2>
<p>Jobs not yet handed to a worker, in the fair scheduler's order of service (tokens served / weight, lowest first).</p>
<table id="backlogs"><thead><tr><th>pool</th><th>tenant</th><th>priority</th><th>queued</th><th>weight</th>
<th>virtual time (tokens / weight)</th><th>oldest wait</th></tr></thead>
<tbody>${tenantRows || '<tr><td colspan="7">no queued jobs</td></tr>'}</tbody></table>`;
}
