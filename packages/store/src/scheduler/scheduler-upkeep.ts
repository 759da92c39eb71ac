import { isTerminal, QUEUES } from '@inferq/core';
import type { JobStore } from '../job-store';
import type { PoolQueues } from '../pool-queues';
import type { Promotion } from './promotion';

export interface UpkeepOptions {
  pools: string[];
  /** Slots this process serves per pool; 0 (the api) states no capacity and repairs nothing. */
  slots: number;
  /** This process's id in the pools' worker lists. */
  worker: string;
  onError: (err: unknown) => void;
  /** Capacity statements are refreshed every interval and expire after 3 (ms). */
  capacityEveryMs?: number;
  deadlineEveryMs?: number;
  repairEveryMs?: number;
  /**
   * A job in flight this long without a BullMQ job is handed to BullMQ again (ms). Short is safe:
   * adding a job BullMQ has, or one that has just ended, changes nothing (jobId; the record's guard).
   */
  repairAfterMs?: number;
  /** Told what each repair round that found something did (a process died between a pick and its add). */
  onRepaired?: (r: RepairResult) => void;
  /** Completed BullMQ jobs are kept this long for Bull Board, then removed (ms; core's QUEUES.pool). */
  keepCompletedMs?: number;
  /** How often each worker removes them (ms). */
  cleanupEveryMs?: number;
}

/** What one repair round did, by job id. */
export interface RepairResult {
  /** Picks whose BullMQ job was missing, added again. */
  readded: string[];
  /** Picks whose job had already ended (or is gone), taken out of flight so their slots free. */
  released: string[];
}

/**
 * The pools' background duties in one process: state this worker's capacity
 * in each pool (a dead worker's statement expires, so the pool stops counting
 * its slots), fail backlogged jobs whose deadline passed, repair picks whose
 * BullMQ add was lost with the process that made it, and remove completed
 * BullMQ jobs once Bull Board has shown them long enough.
 */
export class SchedulerUpkeep {
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly promotion: Promotion,
    private readonly queues: PoolQueues,
    private readonly store: JobStore,
    private readonly opts: UpkeepOptions,
  ) {}

  async start(): Promise<void> {
    const o = this.opts;
    const every = (ms: number, fn: () => Promise<unknown>) => {
      const t = setInterval(() => void fn().catch(o.onError), ms);
      t.unref();
      this.timers.push(t);
    };
    // Registered so the dispatcher reads these pools' webhook outboxes even when its catalog lacks them.
    await this.store.registerPools(o.pools).catch(o.onError);
    // Once a process: the keys an upgrade from before the scheduler's `state` hash left behind.
    const { scheduler } = this.promotion;
    await Promise.all(o.pools.map((p) => scheduler.dropLegacyKeys(p))).catch(o.onError);
    if (o.slots > 0) {
      await this.stateCapacity(o.slots).catch(o.onError);
      every(o.capacityEveryMs ?? 5000, () => this.stateCapacity(o.slots));
      every(o.repairEveryMs ?? 5000, async () => {
        const r = await this.repair();
        if (r.readded.length + r.released.length > 0) o.onRepaired?.(r);
      });
      every(o.cleanupEveryMs ?? 5000, () => this.removeCompleted());
    }
    every(o.deadlineEveryMs ?? 1000, () => Promise.all(o.pools.map((p) => this.promotion.sweep(p))));
  }

  /** Stops the loops and withdraws this worker's slots. */
  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    if (this.opts.slots > 0) await this.stateCapacity(0).catch(this.opts.onError);
  }

  private async stateCapacity(slots: number): Promise<void> {
    const ttl = 3 * (this.opts.capacityEveryMs ?? 5000);
    const { scheduler } = this.promotion;
    await Promise.all(
      this.opts.pools.map(async (pool) => {
        const pick = await scheduler.capacity(pool, this.opts.worker, slots, ttl);
        await this.promotion.apply(pool, pick);
      }),
    );
  }

  /** Removes each pool's completed BullMQ jobs older than keepCompletedMs; how many went. */
  async removeCompleted(): Promise<number> {
    const keepMs = this.opts.keepCompletedMs ?? QUEUES.pool.keepCompletedS * 1000;
    let removed = 0;
    for (const pool of this.opts.pools) removed += await this.queues.removeCompleted(pool, keepMs);
    return removed;
  }

  /** Picks older than repairAfterMs whose BullMQ job is gone: added again, or released when the job has ended. */
  async repair(now = Date.now()): Promise<RepairResult> {
    const out: RepairResult = { readded: [], released: [] };
    const after = this.opts.repairAfterMs ?? 5000;
    const { scheduler } = this.promotion;
    for (const pool of this.opts.pools) {
      for (const entry of await scheduler.inflight(pool)) {
        if (now - entry.promotedAt < after || (await this.queues.has(pool, entry.id))) continue;
        const job = await this.store.get(entry.id);
        if (!job || isTerminal(job.record.status)) {
          await this.promotion.finish(pool, entry.id, null, entry);
          out.released.push(entry.id);
        } else {
          await this.queues.addPromoted(pool, [entry]);
          out.readded.push(entry.id);
        }
      }
      // A job waiting out a retry always has its BullMQ job; without one it has ended unseen: release it.
      for (const entry of await scheduler.inflight(pool, 'retrying')) {
        if (await this.queues.has(pool, entry.id)) continue;
        await this.promotion.finish(pool, entry.id, null, entry);
        out.released.push(entry.id);
      }
    }
    return out;
  }
}
