import type { FinishReason, JobParams, Message, Usage } from '@inferq/core';

export interface GenerateRequest {
  /** The model name the upstream server knows (ResolvedModel.upstream). */
  model: string;
  messages: Message[];
  params: JobParams;
}

export interface GenerateOptions {
  /**
   * Aborting it rejects generate() with signal.reason, so callers can tell cancel from timeout.
   * A caller may make it on first read (the worker does: few calls are ever aborted).
   */
  readonly signal: AbortSignal;
  /**
   * Throws signal.reason when aborted, without making a signal made on first read: for a backend
   * that only checks and never waits. Without it, read `signal`.
   */
  throwIfAborted?(): void;
  /** Called once per streamed text delta, in order. */
  onToken: (text: string) => void;
}

export interface GenerateResult {
  /** Every delta passed to onToken, concatenated. */
  text: string;
  finishReason: FinishReason;
  usage: Usage;
}

/** One model provider behind a single call. Failures reject with BackendError. */
export interface Backend {
  readonly kind: string;
  generate(req: GenerateRequest, opts: GenerateOptions): Promise<GenerateResult>;
}
