/** How long an abort for a job this process is not running is remembered (ms). */
const EARLY_ABORT_MS = 10_000;
/** Bound on remembered early aborts (cancels are broadcast to every worker). */
const EARLY_ABORT_MAX = 10_000;

/**
 * One backend call's abort state. Its AbortSignal is made on first read: a
 * call that nothing aborts and that never waits (sim at zero latency) needs
 * none, and a signal costs ~1 KB and a couple of microseconds per job.
 */
export class RunningCall {
  private controller: AbortController | undefined;
  /** The first abort's reason, as AbortController keeps it; undefined while the call may run. */
  private why: Error | undefined;

  get aborted(): boolean {
    return this.why !== undefined;
  }

  get reason(): Error | undefined {
    return this.why;
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.why) this.controller.abort(this.why);
    }
    return this.controller.signal;
  }

  throwIfAborted(): void {
    if (this.why) throw this.why;
  }

  abort(reason: Error): void {
    if (this.why) return;
    this.why = reason;
    this.controller?.abort(reason);
  }
}

/** The backend calls this process is running, so cancel and shutdown can abort them. */
export class InflightJobs {
  private readonly calls = new Map<string, RunningCall>();
  /**
   * Aborts that came before the call began: a cancel published between the
   * job turning running and its backend call starting would otherwise be
   * missed, and the call would run to its end for nothing.
   */
  private readonly early = new Map<string, { reason: Error; until: number }>();

  begin(id: string): RunningCall {
    const call = new RunningCall();
    this.calls.set(id, call);
    const pending = this.early.get(id);
    if (pending) {
      this.early.delete(id);
      if (pending.until > Date.now()) call.abort(pending.reason);
    }
    return call;
  }

  end(id: string): void {
    this.calls.delete(id);
  }

  /** Aborts the job's call; false (and remembered briefly, in case it is about to begin) when none runs here. */
  abort(id: string, reason: Error): boolean {
    const call = this.calls.get(id);
    if (!call) {
      this.remember(id, reason);
      return false;
    }
    call.abort(reason);
    return true;
  }

  abortAll(reason: () => Error): void {
    for (const call of this.calls.values()) call.abort(reason());
  }

  get size(): number {
    return this.calls.size;
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
