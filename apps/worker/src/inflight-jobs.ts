/** How long an abort for a job this process is not running is remembered (ms). */
const EARLY_ABORT_MS = 10_000;
/** Bound on remembered early aborts (cancels are broadcast to every worker). */
const EARLY_ABORT_MAX = 10_000;

/** The backend calls this process is running, so cancel and shutdown can abort them. */
export class InflightJobs {
  private readonly controllers = new Map<string, AbortController>();
  /**
   * Aborts that came before the call began: a cancel published between the
   * job turning running and its backend call starting would otherwise be
   * missed, and the call would run to its end for nothing.
   */
  private readonly early = new Map<string, { reason: Error; until: number }>();

  begin(id: string): AbortController {
    const ac = new AbortController();
    this.controllers.set(id, ac);
    const pending = this.early.get(id);
    if (pending) {
      this.early.delete(id);
      if (pending.until > Date.now()) ac.abort(pending.reason);
    }
    return ac;
  }

  end(id: string): void {
    this.controllers.delete(id);
  }

  /** Aborts the job's call; false (and remembered briefly, in case it is about to begin) when none runs here. */
  abort(id: string, reason: Error): boolean {
    const ac = this.controllers.get(id);
    if (!ac) {
      this.remember(id, reason);
      return false;
    }
    ac.abort(reason);
    return true;
  }

  abortAll(reason: () => Error): void {
    for (const ac of this.controllers.values()) ac.abort(reason());
  }

  get size(): number {
    return this.controllers.size;
  }

  private remember(id: string, reason: Error): void {
    const now = Date.now();
    // Insertion order is expiry order: drop from the front.
    for (const [key, e] of this.early) {
      if (e.until > now && this.early.size < EARLY_ABORT_MAX) break;
      this.early.delete(key);
    }
    this.early.set(id, { reason, until: now + EARLY_ABORT_MS });
  }
}
