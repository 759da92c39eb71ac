import type { JobError } from '@inferq/core';
import { QueueJobData, TurnBatcher } from '@inferq/core';
import type { JobStore } from '../job-store';
import type { PoolQueues } from '../pool-queues';
import type { PoolScheduler, SchedCharge, SchedFinish } from './pool-scheduler';
import type { Pick } from './scheduler-replies';

export const DEADLINE_ERROR: JobError = {
  code: 'deadline_exceeded',
  message: 'the job was still queued when its deadline_s passed',
  retryable: false,
};

/**
 * Carries out what the scheduler decided: adds picked jobs to their pool's
 * BullMQ queue and fails the records of jobs whose deadline passed while
 * queued. Finishes of one pool within one event-loop turn share one script
 * call, so a worker finishing many jobs at once pays one round trip.
 */
export class Promotion {
  private readonly finishes = new Map<string, SchedFinish[]>();
  private readonly batcher: TurnBatcher<string, void>;

  constructor(
    private readonly store: JobStore,
    private readonly queues: PoolQueues,
    readonly scheduler: PoolScheduler,
  ) {
    this.batcher = new TurnBatcher((pool) => this.flushFinishes(pool));
  }

  async apply(pool: string, pick: Pick): Promise<void> {
    await Promise.all([
      this.queues.addPromoted(pool, pick.promoted),
      ...pick.expired.map((e) => this.store.fail(e.id, e.tenant, DEADLINE_ERROR)),
    ]);
  }

  /**
   * A job in flight ended (see SchedFinish for `tokens`): its slot goes to the next job in the order of
   * service. `data`, its BullMQ job's data (or anything of that shape), carries what its pick charged.
   */
  async finish(pool: string, id: string, tokens: number | null, data?: unknown): Promise<void> {
    let list = this.finishes.get(pool);
    if (!list) this.finishes.set(pool, (list = []));
    list.push({ id, tokens, charge: chargeOf(id, data) });
    await this.batcher.add(pool);
  }

  /** A job in flight waits out a retry delay: its slot goes to the next job in the order of service. */
  async pause(pool: string, id: string): Promise<void> {
    await this.apply(pool, await this.scheduler.pause(pool, [id]));
  }

  /** Fails the records of backlogged jobs whose deadline passed; returns how many. */
  async sweep(pool: string): Promise<number> {
    const expired = await this.scheduler.sweep(pool);
    await this.apply(pool, { promoted: [], expired });
    return expired.length;
  }

  private async flushFinishes(pool: string): Promise<void> {
    const list = this.finishes.get(pool) ?? [];
    this.finishes.delete(pool);
    await this.apply(pool, await this.scheduler.finish(pool, list));
  }
}

/** The charge a pool job's data carries (PoolQueues.addPromoted writes it); none for data of another job or from before. */
function chargeOf(id: string, data: unknown): SchedCharge | undefined {
  if (data === undefined) return undefined;
  const parsed = QueueJobData.safeParse(data);
  if (!parsed.success || parsed.data.id !== id) return undefined;
  const { level, tenant, estimate, weight } = parsed.data;
  return level === undefined || estimate === undefined || weight === undefined
    ? undefined
    : { level, tenant, estimate, weight };
}
