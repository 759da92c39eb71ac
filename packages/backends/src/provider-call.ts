import { BackendError } from './backend-error';
import type { GenerateOptions } from './backend.types';

/** One hour, in ms: longer than any job may run (LIMITS.timeoutS). */
export const DEFAULT_DEADLINE_MS = 60 * 60 * 1000;

/** What a provider call hands the SDK: the signal to pass and the delta callback. */
export interface CallContext {
  signal: AbortSignal;
  emit: (text: string) => void;
}

/**
 * Runs one streaming provider call with the rules every adapter shares:
 * - an aborted caller signal wins over whatever the SDK threw: the caller
 *   gets signal.reason as-is, so it can tell cancel from timeout;
 * - past `deadlineMs` the call is aborted and fails provider_timeout. We keep
 *   this deadline ourselves rather than read the SDK's timeout error: under
 *   jest the SDKs cannot recognise their own timeout abort (DOMException from
 *   another realm) and report a plain connection error;
 * - an error thrown by the caller's onToken passes through untouched;
 * - everything else goes through the adapter's classifier.
 */
export async function callProvider<T>(
  opts: GenerateOptions,
  deadlineMs: number,
  classify: (err: unknown) => BackendError,
  run: (ctx: CallContext) => Promise<T>,
): Promise<T> {
  const { signal, onToken } = opts;
  signal.throwIfAborted();
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), deadlineMs);
  let callerError: { error: unknown } | undefined;
  const emit = (text: string): void => {
    if (!text) return;
    try {
      onToken(text);
    } catch (error) {
      callerError = { error };
      throw error;
    }
  };
  const expired = (): BackendError =>
    new BackendError('provider_timeout', `provider did not finish within ${deadlineMs} ms`);
  try {
    const result = await run({ signal: AbortSignal.any([signal, deadline.signal]), emit });
    // Both SDKs end a stream quietly when its signal aborts, so check here too.
    signal.throwIfAborted();
    if (deadline.signal.aborted) throw expired();
    return result;
  } catch (err) {
    signal.throwIfAborted();
    if (callerError) throw callerError.error;
    if (deadline.signal.aborted) throw expired();
    throw err instanceof BackendError ? err : classify(err);
  } finally {
    clearTimeout(timer);
  }
}
