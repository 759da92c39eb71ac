import { isRetryable, type FailureCode } from '@inferq/core';

export interface BackendErrorOptions {
  /** How long the provider asked us to wait before trying again, in ms. */
  retryAfterMs?: number;
  /** HTTP status of the provider's answer, when there was one. */
  status?: number;
  cause?: unknown;
}

/** A provider call that failed, classified into the closed set of failure codes. */
export class BackendError extends Error {
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly status?: number;

  constructor(
    readonly code: FailureCode,
    message: string,
    opts: BackendErrorOptions = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'BackendError';
    this.retryable = isRetryable(code);
    if (opts.retryAfterMs !== undefined) this.retryAfterMs = opts.retryAfterMs;
    if (opts.status !== undefined) this.status = opts.status;
  }
}
