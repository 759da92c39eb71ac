import type { PoolScheduler } from '@inferq/store';

interface Sample {
  at: number;
  picked: number;
}

/** Samples closer together than this give no rate (ms); older than MAX_AGE_MS, none either. */
const MIN_SPAN_MS = 2000;
const MAX_AGE_MS = 120_000;

/**
 * A pool's recent throughput (jobs handed to workers per second), from its
 * scheduler's `picked` counter sampled on reads: queue.eta_s is the jobs
 * ahead over this rate. Nothing runs in the background; a pool read rarely
 * gets its rate on the second read after a quiet spell.
 */
export class PoolThroughput {
  private readonly samples = new Map<string, { prev?: Sample; last: Sample }>();

  constructor(private readonly scheduler: PoolScheduler) {}

  /** Jobs per second, or null while unknown (no recent samples, or nothing started). */
  async rate(pool: string, now = Date.now()): Promise<number | null> {
    let s = this.samples.get(pool);
    if (!s || now - s.last.at >= MIN_SPAN_MS) {
      const picked = await this.scheduler.picked(pool);
      s = { prev: s && now - s.last.at <= MAX_AGE_MS ? s.last : undefined, last: { at: now, picked } };
      this.samples.set(pool, s);
    }
    if (!s.prev) return null;
    const rate = ((s.last.picked - s.prev.picked) * 1000) / (s.last.at - s.prev.at);
    return rate > 0 ? rate : null;
  }
}
