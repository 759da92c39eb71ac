import type { BatchRef } from '@inferq/store';
import type { BatchContext } from './batch-context';
import { BatchTask } from './batch-task';

/** An entry of the active set without its batch is dropped after this long (ms): its creation never finished. */
const ORPHAN_MS = 60_000;

/**
 * Every api process runs one: it looks for active batches nobody holds (new
 * ones, or those of a process that died: their lease expired), takes their
 * lease and drives each with a BatchTask, up to `maxBatches` at once.
 */
export class BatchRunner {
  private readonly tasks = new Map<string, BatchTask>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly ctx: BatchContext) {}

  start(): void {
    this.timer = setInterval(() => this.wake(), this.ctx.opts.pollMs);
    this.wake();
  }

  /** Looks for work now (a batch was just created). */
  wake(): void {
    if (this.closed || this.polling) return;
    this.polling = this.poll()
      .catch((err: unknown) => this.ctx.logger.warn({ err }, 'looking for batches failed'))
      .finally(() => (this.polling = undefined));
  }

  /** Queued batch jobs per pool, over the batches this process runs (metrics). */
  queuedByPool(): Map<string, number> {
    const out = new Map<string, number>();
    for (const t of this.tasks.values()) t.queuedByPool(out);
    return out;
  }

  get running(): number {
    return this.tasks.size;
  }

  /** Stops every task and gives their leases back, so another process continues at once. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.polling;
    await Promise.all([...this.tasks.values()].map((t) => t.stop()));
  }

  private async poll(): Promise<void> {
    for (const ref of await this.ctx.runs.active()) {
      if (this.closed || this.tasks.size >= this.ctx.opts.maxBatches) return;
      const key = `${ref.tenant}/${ref.id}`;
      if (this.tasks.has(key)) continue;
      const held = await this.ctx.runs.lease(ref, this.ctx.owner, this.ctx.opts.leaseMs);
      if (held === 1 && this.closed) await this.ctx.runs.release(ref, this.ctx.owner);
      else if (held === 1) this.run(key, ref);
      else if (held === -1 || (held === -2 && Date.now() - ref.createdMs > ORPHAN_MS)) {
        await this.ctx.runs.removeActive(ref);
      }
    }
  }

  private run(key: string, ref: BatchRef): void {
    const task = new BatchTask(this.ctx, ref);
    this.tasks.set(key, task);
    void task.done.finally(() => {
      this.tasks.delete(key);
      // A batch that ended frees a slot another may be waiting for.
      this.wake();
    });
  }
}
