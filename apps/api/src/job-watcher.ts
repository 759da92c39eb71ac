import { ChannelListener, messageIds, pushedTokens } from '@inferq/store';
import type { PushedTokens, RedisClient } from '@inferq/store';

/** Pushed batches a subscription holds for a relay that is not taking them (its client is slow); then it reads. */
const MAX_PUSHED = 16;

/** What a subscription heard since its last take(). */
export interface News {
  /** The job's event stream must be read: a change came without its entry, or nothing came at all. */
  read: boolean;
  /** Streamed batches that came with their entries, oldest first. */
  pushed: PushedTokens[];
}

/**
 * One job's change notifications for one long-poll or SSE relay. `changed`
 * stays set from a notification until the next `next()` or `take()` consumes
 * it, so a status change that lands between reading the record and waiting is
 * never lost. A relay also takes the token batches whose messages carried them.
 */
export class JobSubscription {
  private changed = false;
  private wake: (() => void) | undefined;
  private unread = false;
  private pushed: PushedTokens[] = [];

  constructor(
    private readonly onStop: (sub: JobSubscription) => void,
    /** Also woken by streamed tokens (SSE); long-polls care only about status changes. */
    readonly tokens = false,
  ) {}

  notify(): void {
    this.unread = true;
    this.changed = true;
    this.wake?.();
  }

  /** A batch of streamed tokens with its entry (tokens subscriptions only). */
  push(batch: PushedTokens): void {
    if (this.pushed.length < MAX_PUSHED) this.pushed.push(batch);
    else {
      this.pushed = [];
      this.unread = true;
    }
    this.changed = true;
    this.wake?.();
  }

  /** Everything heard since the last take, handed over once: the next `next()` waits for more. */
  take(): News {
    const news = { read: this.unread || this.pushed.length === 0, pushed: this.pushed };
    this.unread = false;
    this.pushed = [];
    this.changed = false;
    return news;
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
 * every batch of streamed tokens, most carrying the batch), one of each per
 * pool: one subscriber connection per api process and an in-memory map of job
 * id -> subscriptions. No polling of Redis.
 */
export class JobWatcher {
  private readonly subs = new Map<string, Set<JobSubscription>>();
  private closing = false;
  private readonly listener: ChannelListener;

  constructor(subscriber: RedisClient, channels: { events: string[]; tokens: string[] }) {
    const tokens = new Set(channels.tokens);
    this.listener = new ChannelListener(subscriber, [...channels.events, ...tokens], (ch, message) =>
      tokens.has(ch) ? this.heardTokens(message) : this.notify(messageIds(message), false),
    );
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

  /** A batch with its entry goes to the job's relays; a bare id (a big batch, an older worker) wakes them to read. */
  private heardTokens(message: string): void {
    const batch = pushedTokens(message);
    if (batch) this.subs.get(batch.job)?.forEach((s) => s.tokens && s.push(batch));
    else this.notify(messageIds(message), true);
  }

  private notify(ids: string[], onlyTokens: boolean): void {
    for (const id of ids) this.subs.get(id)?.forEach((s) => (!onlyTokens || s.tokens) && s.notify());
  }

  private remove(id: string, sub: JobSubscription): void {
    const set = this.subs.get(id);
    if (!set) return;
    set.delete(sub);
    if (set.size === 0) this.subs.delete(id);
  }
}
