import { BackendError } from '@inferq/backends';
import type { JobError } from '@inferq/core';

/** Abort reasons the worker itself gives a backend call. */
export class JobTimeoutError extends Error {
  constructor(seconds: number) {
    super(`the job ran longer than its timeout_s of ${seconds} s`);
    this.name = 'JobTimeoutError';
  }
}
export class JobCanceledError extends Error {
  constructor() {
    super('the job was canceled');
    this.name = 'JobCanceledError';
  }
}
export class WorkerShutdownError extends Error {
  constructor() {
    super('the worker is shutting down; the job goes back to the queue');
    this.name = 'WorkerShutdownError';
  }
}

export type Failure =
  { kind: 'canceled' } | { kind: 'shutdown' } | { kind: 'error'; error: JobError; retryAfterMs?: number };

/** Decides what a thrown error means for the job. */
export function classifyFailure(err: unknown): Failure {
  if (err instanceof JobCanceledError) return { kind: 'canceled' };
  if (err instanceof WorkerShutdownError) return { kind: 'shutdown' };
  if (err instanceof JobTimeoutError) {
    return { kind: 'error', error: { code: 'timeout', message: err.message, retryable: false } };
  }
  if (err instanceof BackendError) {
    return {
      kind: 'error',
      error: { code: err.code, message: err.message, retryable: err.retryable },
      retryAfterMs: err.retryAfterMs,
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'error', error: { code: 'internal', message, retryable: true } };
}
