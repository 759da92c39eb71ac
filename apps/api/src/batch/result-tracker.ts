import { batchRequestId, isTerminal } from '@inferq/core';
import type { JobStatus } from '@inferq/core';
import type { BatchRef, BatchResult } from '@inferq/store';
import type { BatchContext } from './batch-context';
import { failedResult, resultOfJob } from './result-lines';
import type { NotRunCode } from './result-lines';

interface Followed {
  jobId: string;
  customId: string;
  pool?: string;
  status?: JobStatus;
}

/** How long a failed write of results waits before it is tried again (ms). */
const RETRY_MS = 1000;

/**
 * Follows the jobs of one batch until each is terminal, then records its
 * result. A job's changes arrive on the events channel (JobWatcher); its
 * record is read on each, and every `sweepMs` in case a message was lost.
 * Results found in the same turn are written together in one script call.
 */
export class ResultTracker {
  /** Set once the batch is ending: jobs canceled from then on did not run. */
  ending: NotRunCode | undefined;
  private readonly followed = new Map<number, Followed>();
  private buffer: BatchResult[] = [];
  private flushing = false;
  private stopped = false;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly ctx: BatchContext,
    private readonly ref: BatchRef,
    private readonly files: { output: string; error: string },
  ) {}

  /** Jobs followed and not yet recorded. */
  get size(): number {
    return this.followed.size;
  }

  /** Follows request `index`'s job (created already); a second call is a no-op. */
  follow(index: number, jobId: string, customId: string): void {
    if (this.followed.has(index) || this.stopped) return;
    const entry: Followed = { jobId, customId };
    this.followed.set(index, entry);
    void this.watch(index, entry);
  }

  /** Records results that need no job (over budget, not run), now. */
  async recordNow(results: BatchResult[]): Promise<void> {
    await this.ctx.runs.record(this.ref, this.files.output, this.files.error, results);
  }

  /** Resolves once a result was recorded, or after `ms`. */
  changed(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.push(done);
    });
  }

  /** Queued jobs per pool among those followed (metrics). */
  queuedByPool(into: Map<string, number>): void {
    for (const f of this.followed.values()) {
      if (f.status === 'queued' && f.pool) into.set(f.pool, (into.get(f.pool) ?? 0) + 1);
    }
  }

  stop(): void {
    this.stopped = true;
    this.wake();
  }

  private async watch(index: number, entry: Followed): Promise<void> {
    const sub = this.ctx.watcher.watch(entry.jobId);
    try {
      while (!this.stopped && !this.ctx.watcher.closed) {
        const job = await this.ctx.jobs.get(entry.jobId).catch(() => null);
        if (job === undefined) {
          // Records outlive their batch (JOB_RETENTION); one gone meanwhile cannot be answered.
          const message = 'The job of this request is gone (expired or deleted).';
          return this.push(failedResult(index, entry.customId, batchRequestId(entry.jobId), 'job_missing', message));
        }
        if (job) {
          entry.pool = job.pool;
          entry.status = job.record.status;
          if (isTerminal(job.record.status))
            return this.push(resultOfJob(index, entry.customId, job.record, this.ending));
        }
        await sub.next(job ? this.ctx.opts.sweepMs : RETRY_MS);
      }
    } finally {
      sub.stop();
    }
  }

  private push(result: BatchResult): void {
    this.buffer.push(result);
    this.schedule();
  }

  private schedule(): void {
    if (this.flushing) return;
    this.flushing = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const batch = this.buffer;
    this.buffer = [];
    try {
      await this.recordNow(batch);
      for (const r of batch) this.followed.delete(r.index);
      this.wake();
    } catch (err) {
      this.ctx.logger.warn({ err, batch: this.ref.id }, 'recording batch results failed; retrying');
      this.buffer.unshift(...batch);
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
    this.flushing = false;
    if (this.buffer.length > 0 && !this.stopped) this.schedule();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
