import { ChannelListener, messageIds } from '@inferq/store';
import type { RedisClient } from '@inferq/store';

/**
 * One job's change notifications for one long-poll. `changed` stays set from
 * a notification until the next `next()` consumes it, so a status change that
 * lands between reading the record and waiting is never lost.
 */
export class JobSubscription {
  private changed = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly onStop: (sub: JobSubscription) => void,
    /** Also woken by streamed tokens (SSE); long-polls care only about status changes. */
    readonly tokens = false,
  ) {}

  notify(): void {
    this.changed = true;
    this.wake?.();
  }

  /** Resolves on a change (possibly one already seen), after `timeoutMs`, on abort, or at once if stopped. */
  next(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.changed || signal?.aborted) {
      this.changed = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.wake = undefined;
        this.changed = false;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, timeoutMs));
      signal?.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }

  stop(): void {
    this.onStop(this);
    this.wake?.();
  }
}

/**
 * Long-poll and SSE support over the store's events channels (the ids of the
 * jobs whose status changed, several to a message) and tokens channels (after
 * every batch of streamed tokens), one of each per pool: one subscriber connection
 * per api process and an in-memory map of job id -> subscriptions. No polling
 * of Redis.
 */
export class JobWatcher {
  private readonly subs = new Map<string, Set<JobSubscription>>();
  private closing = false;
  private readonly listener: ChannelListener;

  constructor(subscriber: RedisClient, channels: { events: string[]; tokens: string[] }) {
    const tokens = new Set(channels.tokens);
    this.listener = new ChannelListener(subscriber, [...channels.events, ...tokens], (ch, message) => {
      const onlyTokens = tokens.has(ch);
      for (const id of messageIds(message)) this.subs.get(id)?.forEach((s) => (!onlyTokens || s.tokens) && s.notify());
    });
  }

  async start(): Promise<void> {
    await this.listener.start();
  }

  get closed(): boolean {
    return this.closing;
  }

  /** Jobs with at least one waiter (for tests and metrics). */
  get watchedJobs(): number {
    return this.subs.size;
  }

  /** Registers interest in a job now; call before reading its record. Always `stop()` it. */
  watch(id: string, opts: { tokens?: boolean } = {}): JobSubscription {
    const sub = new JobSubscription((s) => this.remove(id, s), opts.tokens);
    if (this.closing) {
      sub.notify();
      return sub;
    }
    let set = this.subs.get(id);
    if (!set) this.subs.set(id, (set = new Set()));
    set.add(sub);
    return sub;
  }

  /** Wakes every waiter (they answer with the current record) and takes no more. */
  close(): void {
    this.closing = true;
    this.listener.stop();
    for (const set of this.subs.values()) set.forEach((s) => s.notify());
  }

  private remove(id: string, sub: JobSubscription): void {
    const set = this.subs.get(id);
    if (!set) return;
    set.delete(sub);
    if (set.size === 0) this.subs.delete(id);
  }
}
