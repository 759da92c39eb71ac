import type { Logger } from '@inferq/core';

export interface TokenBatching {
  /** Longest a token waits for company before it is written (ms). */
  windowMs: number;
  /** Characters that trigger a write before the window ends. */
  maxChars: number;
}

/**
 * ~25 flushes per second at most: a fast model costs a few dozen Redis round
 * trips per second per job, not one per token, and a reader sees text within
 * a frame of when it was made.
 */
export const TOKEN_BATCHING: TokenBatching = { windowMs: 40, maxChars: 2048 };

/** Writes one batch; false when the job no longer runs this attempt. */
export type WriteTokens = (text: string, first: boolean) => Promise<boolean>;

/**
 * Batches an attempt's streamed tokens into the job's event stream. The first
 * token goes out on the next turn of the event loop (time to first token is what callers wait for);
 * later ones gather for `windowMs` or `maxChars`. One write is in flight at a
 * time and tokens arriving meanwhile join the next one, so a slow Redis gets
 * fewer, larger writes instead of a growing queue. Writing is best effort: the
 * record's output, written at the end, is the source of truth.
 */
export class TokenSink {
  private buffered = '';
  private first = true;
  private gone = false;
  /** Set by settle(): the buffer is kept for the terminal write, not written here. */
  private settling = false;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private inflight: Promise<void> | undefined;

  constructor(
    private readonly write: WriteTokens,
    /** Called once when the job turns out to have moved on (canceled, taken over). */
    private readonly onGone: () => void,
    /** The job's logger, made on first use (most jobs never log). */
    private readonly log: () => Logger,
    private readonly batching: TokenBatching = TOKEN_BATCHING,
  ) {}

  push(text: string): void {
    if (text === '' || this.gone) return;
    this.buffered += text;
    // The first token goes out on the next turn of the event loop: at once for a reader, yet a
    // generation that ends within the same turn (a fast backend) writes its tokens with the terminal write.
    if (this.first) this.immediate ??= setImmediate(() => this.flush());
    else if (this.buffered.length >= this.batching.maxChars) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.batching.windowMs);
  }

  /**
   * Waits for the write in flight and hands back what is still buffered,
   * unwritten, for the terminal write to carry (one round trip instead of two).
   */
  async settle(): Promise<string> {
    this.settling = true;
    clearTimeout(this.timer);
    clearImmediate(this.immediate);
    this.immediate = undefined;
    this.timer = undefined;
    while (this.inflight) await this.inflight;
    const rest = this.gone ? '' : this.buffered;
    this.buffered = '';
    this.gone = true;
    return rest;
  }

  /** Writes whatever is buffered and waits until every write is done; call before the terminal write. */
  async close(): Promise<void> {
    for (;;) {
      this.flush();
      if (!this.inflight) return;
      await this.inflight;
    }
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    clearImmediate(this.immediate);
    this.immediate = undefined;
    // The write in flight picks the buffer up when it finishes.
    if (this.inflight || this.buffered === '' || this.gone || this.settling) return;
    const text = this.buffered;
    const first = this.first;
    this.buffered = '';
    this.first = false;
    this.inflight = this.send(text, first).finally(() => {
      this.inflight = undefined;
      if (this.buffered !== '') this.flush();
    });
  }

  private async send(text: string, first: boolean): Promise<void> {
    try {
      if (await this.write(text, first)) return;
      this.gone = true;
      this.buffered = '';
      this.onGone();
    } catch (err) {
      this.log().warn({ err }, 'writing streamed tokens failed; the final output is unaffected');
    }
  }
}
