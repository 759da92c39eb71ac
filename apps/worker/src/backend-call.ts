import type { GenerateOptions } from '@inferq/backends';
import type { Logger } from '@inferq/core';
import type { JobEventLog } from '@inferq/store';
import { JobCanceledError } from './failure';
import type { RunningCall } from './inflight-jobs';
import { TokenSink } from './token-sink';

/** The attempt a backend call belongs to. */
export interface Attempt {
  id: string;
  attempt: number;
  /** The job's logger, made on first use. */
  log: () => Logger;
}

/**
 * One attempt's backend call as the backend sees it (its GenerateOptions):
 * the call's abort state, whose signal is made only if the backend reads it,
 * and its tokens, timed and batched into the job's event stream. One object
 * per call instead of an options literal, a signal and a closure each.
 */
export class BackendCall implements GenerateOptions {
  /** From the call's start to its first token; null until one came. */
  ttftMs: number | null = null;
  readonly sink: TokenSink;
  private readonly t0 = Date.now();

  constructor(
    events: JobEventLog,
    a: Attempt,
    readonly running: RunningCall,
  ) {
    // A token write the job refuses means it was canceled (or taken over) meanwhile: stop paying for it.
    this.sink = new TokenSink(
      (text, first) => events.appendTokens(a.id, a.attempt, text, first ? this.ttftMs : null),
      () => running.abort(new JobCanceledError()),
      a.log,
    );
  }

  get signal(): AbortSignal {
    return this.running.signal;
  }

  throwIfAborted(): void {
    this.running.throwIfAborted();
  }

  readonly onToken = (text: string): void => {
    if (this.ttftMs === null) this.ttftMs = Date.now() - this.t0;
    this.sink.push(text);
  };
}
