import { isTerminalBatch } from '@inferq/core';
import type { BatchRef, BatchState } from '@inferq/store';
import type { BatchContext } from './batch-context';
import { endBatch } from './end-batch';
import { feedWindow } from './feed-window';
import { followIndexes } from './follow-indexes';
import { ResultTracker } from './result-tracker';
import { validateBatch } from './validate-batch';

/** Pause after an unexpected error (Redis down) before the batch is looked at again (ms). */
const ERROR_PAUSE_MS = 1000;
/** The longest a running batch waits for a result before it checks its status and window again (ms). */
const TICK_MS = 1000;

/**
 * Drives one batch while this process holds its lease: validating ->
 * in_progress (feeding, results) -> completed; or cancelling / expiring ->
 * cancelled / expired. All its state is in Redis, so any api process can take
 * over where another stopped; the lease is renewed every third of its length
 * and the task stops the moment it is lost.
 */
export class BatchTask {
  private stopped = false;
  private lost = false;
  private sawRunning = false;
  private tracker: ResultTracker | undefined;
  readonly done: Promise<void>;

  constructor(
    private readonly ctx: BatchContext,
    readonly ref: BatchRef,
  ) {
    this.done = this.run();
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.tracker?.stop();
    return this.done;
  }

  queuedByPool(into: Map<string, number>): void {
    this.tracker?.queuedByPool(into);
  }

  private async run(): Promise<void> {
    const renew = setInterval(() => void this.renew(), this.ctx.opts.leaseMs / 3);
    try {
      while (!this.stopped) {
        try {
          if (await this.step()) return;
        } catch (err) {
          this.ctx.logger.warn({ err, batch: this.ref.id }, 'batch step failed; retrying');
          await sleep(ERROR_PAUSE_MS);
        }
      }
    } finally {
      clearInterval(renew);
      this.tracker?.stop();
      if (!this.lost) await this.ctx.runs.release(this.ref, this.ctx.owner).catch(() => undefined);
    }
  }

  /** One phase of the batch; true once it has ended (or is gone). */
  private async step(): Promise<boolean> {
    const state = await this.ctx.batches.get(this.ref.tenant, this.ref.id);
    if (!state || isTerminalBatch(state.object.status)) {
      // Counted by the task that saw it run and end (not by one that found it ended).
      if (state && this.sawRunning) this.ctx.ended(state.object.status);
      await this.ctx.runs.removeActive(this.ref);
      return true;
    }
    this.sawRunning = true;
    const tracker = (this.tracker ??= new ResultTracker(this.ctx, this.ref, {
      output: state.outputFileId,
      error: state.errorFileId,
    }));
    let outcome: string;
    switch (state.object.status) {
      case 'validating':
        outcome = await validateBatch(this.ctx, this.ref, state, () => this.stopped);
        break;
      case 'in_progress':
        outcome = await this.feed(state, tracker);
        break;
      default:
        outcome = await endBatch(this.ctx, this.ref, state, tracker, () => this.stopped);
    }
    if (outcome === 'lease_lost') this.lose();
    return false;
  }

  /** Feeds and collects until the batch ends, changes status or runs out of time. */
  private async feed(initial: BatchState, tracker: ResultTracker): Promise<string> {
    const total = initial.object.request_counts.total;
    await this.resume(initial, tracker);
    for (;;) {
      if (this.stopped) return 'ok';
      const state = await this.ctx.batches.get(this.ref.tenant, this.ref.id);
      if (!state || state.object.status !== 'in_progress') return 'ok';
      if (Date.now() >= state.expiresMs) return this.ctx.runs.expire(this.ref, this.ctx.owner);
      let next = state.nextLine;
      while (next < total && tracker.size < this.ctx.opts.window && !this.stopped) {
        const to = Math.min(total, next + this.ctx.opts.feedChunk, next + this.ctx.opts.window - tracker.size);
        const r = await feedWindow(this.ctx, this.ref, state, tracker, next, to);
        if (r !== 'ok') return r;
        next = to;
      }
      if (next >= total && tracker.size === 0) {
        const end = await this.ctx.runs.finalize(this.ref, this.ctx.owner, state.outputFileId, state.errorFileId);
        if (end.kind === 'incomplete') await this.resume(state, tracker);
        return end.kind === 'lease_lost' ? 'lease_lost' : 'ok';
      }
      await tracker.changed(TICK_MS);
    }
  }

  /** Follows the jobs a previous holder (or this one) created and has not recorded yet. */
  private async resume(state: BatchState, tracker: ResultTracker): Promise<void> {
    const pending = await this.ctx.runs.pending(this.ref);
    await followIndexes(this.ctx, this.ref, state, tracker, pending);
  }

  private lose(): void {
    this.lost = true;
    this.stopped = true;
    this.tracker?.stop();
  }

  private async renew(): Promise<void> {
    const held = await this.ctx.runs.lease(this.ref, this.ctx.owner, this.ctx.opts.leaseMs).catch(() => 1);
    if (held !== 1) {
      this.ctx.logger.warn({ batch: this.ref.id }, 'lost the lease of a batch; another api process runs it now');
      this.lose();
    }
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
