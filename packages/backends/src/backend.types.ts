import type { FinishReason, JobParams, Message, Usage } from '@inferq/core';

export interface GenerateRequest {
  /** The model name the upstream server knows (ResolvedModel.upstream). */
  model: string;
  messages: Message[];
  params: JobParams;
}

export interface GenerateOptions {
  /** Aborting it rejects generate() with signal.reason, so callers can tell cancel from timeout. */
  signal: AbortSignal;
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
