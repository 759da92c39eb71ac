import type { AuditResult } from './audit';

/** When a job was created and when its first attempt started (ms). */
export interface Waited {
  created: number;
  firstStart: number;
}

/** The creation and first start of each job that started (its record's `timings.queue_ms`). */
export function waitsOf(audit: AuditResult, ids: Iterable<string>): Waited[] {
  const out: Waited[] = [];
  for (const id of ids) {
    const r = audit.jobs.get(id)?.record;
    if (!r || r.timings.queue_ms === null) continue;
    const created = Date.parse(r.created_at);
    out.push({ created, firstStart: created + r.timings.queue_ms });
  }
  return out;
}

/** The p-th percentile (0..100, nearest rank) of waits in seconds. */
export function waitPercentileS(jobs: Waited[], p: number): number {
  const s = jobs.map((j) => (j.firstStart - j.created) / 1000).sort((a, b) => a - b);
  if (s.length === 0) return 0;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/**
 * For each job of `quiet` submitted while at least `minQueued` jobs of
 * `backlog` were queued (created before it, not yet started): the share of
 * those it started ahead of. FIFO across tenants gives 0; the fair scheduler
 * gives nearly 1 (it waits about one free slot, not behind the backlog).
 */
export function sharesOvertaken(quiet: Waited[], backlog: Waited[], minQueued: number): number[] {
  const out: number[] = [];
  for (const q of quiet) {
    const queued = backlog.filter((b) => b.created < q.created && b.firstStart > q.created);
    if (queued.length < minQueued) continue;
    out.push(queued.filter((b) => b.firstStart > q.firstStart).length / queued.length);
  }
  return out;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.floor(s.length / 2)];
}
