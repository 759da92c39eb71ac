import { schedulerKeys } from '@inferq/core';
import { PoolQueues, PoolScheduler } from '@inferq/store';
import { sleep } from './client';
import type { ChaosCluster } from './cluster';

/** A pick that sat in `sched:inflight` without a BullMQ job: its hand-over died with a process. */
export interface Orphan {
  /** When the scheduler picked it (ms). */
  pickedAt: number;
  /** When BullMQ had it again, or it left `inflight` (ms); undefined while still orphaned. */
  repairedAt?: number;
}

/**
 * Samples a pool's fair scheduler from outside while a scenario runs: every
 * pick in `sched:inflight` older than `graceMs` whose BullMQ job does not
 * exist is an orphan (a process died between the pick and its BullMQ add),
 * until BullMQ has it again (the workers' repair loop) or it leaves `inflight`.
 * It also keeps the largest capacity the pool counted (dead workers' slots
 * count until their statements expire) and the most jobs waiting in BullMQ.
 */
export class SchedulerWatch {
  readonly orphans = new Map<string, Orphan>();
  maxCapacity = 0;
  /** Handed-over jobs waiting in BullMQ (FIFO within a priority, outside the fair order). */
  maxWaiting = 0;
  private readonly scheduler: PoolScheduler;
  private readonly queues: PoolQueues;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    c: ChaosCluster,
    private readonly pool = 'default',
    private readonly graceMs = 1000,
    private readonly everyMs = 100,
  ) {
    this.scheduler = new PoolScheduler(c.redis, c.prefix);
    this.queues = new PoolQueues(c.redis, c.prefix);
  }

  start(): void {
    this.running = (async () => {
      while (!this.stopped) {
        await this.sample();
        await sleep(this.everyMs);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
    await this.queues.close();
  }

  /** Longest time a repaired orphan went without a BullMQ job (s); still-open ones count up to now. */
  maxOrphanS(now = Date.now()): number {
    return Math.max(0, ...[...this.orphans.values()].map((o) => ((o.repairedAt ?? now) - o.pickedAt) / 1000));
  }

  private async sample(): Promise<void> {
    const now = Date.now();
    const [entries, stats, waiting] = await Promise.all([
      this.scheduler.inflight(this.pool),
      this.scheduler.stats(this.pool),
      this.queues.get(this.pool).getJobCountByTypes('waiting', 'prioritized'),
    ]);
    this.maxCapacity = Math.max(this.maxCapacity, stats.capacity);
    this.maxWaiting = Math.max(this.maxWaiting, waiting);
    const pipe = this.queues.connection.pipeline();
    for (const e of entries) pipe.exists(this.queues.get(this.pool).toKey(e.id));
    const exists = ((await pipe.exec()) ?? []).map(([, n]) => n === 1);
    const inflight = new Set<string>();
    entries.forEach((e, i) => {
      inflight.add(e.id);
      const o = this.orphans.get(e.id);
      if (exists[i]) {
        if (o && o.repairedAt === undefined) o.repairedAt = now;
      } else if (!o && now - e.promotedAt > this.graceMs) {
        this.orphans.set(e.id, { pickedAt: e.promotedAt });
      }
    });
    for (const [id, o] of this.orphans) if (o.repairedAt === undefined && !inflight.has(id)) o.repairedAt = now;
  }
}

/**
 * Resolves right after the pool's picked counter moved by at least `min`
 * between two back-to-back reads: completions freed slots and their jobs were
 * just picked, so the picker is most likely between the pick and its BullMQ
 * add. False when no such moment came within `timeoutMs`.
 */
export async function afterPicks(c: ChaosCluster, pool: string, min: number, timeoutMs: number): Promise<boolean> {
  const key = schedulerKeys(c.prefix, pool).state;
  const deadline = Date.now() + timeoutMs;
  let last = Number(await c.redis.hget(key, 'picked'));
  while (Date.now() < deadline) {
    const now = Number(await c.redis.hget(key, 'picked'));
    if (now - last >= min) return true;
    last = now;
  }
  return false;
}

/**
 * What a pool's scheduler still holds: jobs in flight, jobs in backlogs,
 * tenants queued at some level, tenants with estimates pending in flight.
 */
export async function schedulerLeft(
  c: ChaosCluster,
  pool = 'default',
): Promise<{ inflight: number; backlog: number; readyTenants: number; pending: number }> {
  const k = schedulerKeys(c.prefix, pool);
  let backlog = 0;
  // On a Cluster, SCAN each master: the pool's keys share one slot, so one of them holds them all.
  const nodes = 'nodes' in c.redis ? c.redis.nodes('master') : [c.redis];
  for (const node of nodes) {
    for await (const keys of node.scanStream({ match: `${k.base}q:*`, count: 500 }) as AsyncIterable<string[]>) {
      for (const key of keys) backlog += await c.redis.zcard(key);
    }
  }
  const ready = await Promise.all([0, 1, 2].map((l) => c.redis.zcard(k.ready(l))));
  const [inflight, pending] = await Promise.all([c.redis.hlen(k.inflight), c.redis.hlen(k.pending)]);
  return { inflight, backlog, readyTenants: ready.reduce((a, b) => a + b, 0), pending };
}

/**
 * Starts a worker and SIGKILLs it the moment its first capacity statement
 * lands in the pool, as a worker crashing right after its start would: that
 * statement picks jobs for its slots, and the kill lands before (or while) it
 * adds them to BullMQ, whose first add in a process waits on one more round
 * trip (the queue's setup). Resolves once it is gone.
 */
export async function crashAtStart(
  c: ChaosCluster,
  env: Record<string, string>,
  pool = 'default',
  timeoutMs = 30_000,
): Promise<void> {
  const key = schedulerKeys(c.prefix, pool).workers;
  const known = new Set(await c.redis.hkeys(key));
  const app = c.spawnWorker(env);
  const deadline = Date.now() + timeoutMs;
  // No pause between reads: the kill has to follow the statement within a round trip or two.
  while (Date.now() < deadline && (await c.redis.hkeys(key)).every((id) => known.has(id)));
  await c.kill(app);
}

/** Ids a worker's repair loop added to BullMQ again, from its JSON log lines. */
export function readdedIn(output: string): string[] {
  return output
    .split('\n')
    .filter((l) => l.includes('hand-over to BullMQ was lost'))
    .flatMap((l) => {
      try {
        return (JSON.parse(l) as { readded?: string[] }).readded ?? [];
      } catch {
        return [];
      }
    });
}
