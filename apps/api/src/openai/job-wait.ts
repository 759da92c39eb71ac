import { isTerminal } from '@inferq/core';
import type { JobRecord } from '@inferq/core';
import type { ApiDeps } from '../deps';
import { readOwnJob } from '../handlers/job-access';

export type WaitOutcome =
  | { kind: 'terminal'; record: JobRecord }
  /** `timeout`: waited `ms`; `aborted`: the client left; `closing`: the api drains. */
  | { kind: 'timeout' | 'aborted' | 'closing' };

/**
 * Waits for the caller's job to end, as the `?wait` long-poll does: one
 * subscription to the job's status changes (JobWatcher) made before the first
 * read, so a change in between still wakes it; no polling of Redis.
 */
export async function waitForJob(
  deps: Pick<ApiDeps, 'store' | 'watcher'>,
  id: string,
  tenant: string,
  ms: number,
  signal: AbortSignal,
): Promise<WaitOutcome> {
  const deadline = Date.now() + ms;
  const sub = deps.watcher.watch(id);
  try {
    for (;;) {
      const { record } = await readOwnJob(deps.store, id, tenant);
      if (isTerminal(record.status)) return { kind: 'terminal', record };
      if (signal.aborted) return { kind: 'aborted' };
      if (deps.watcher.closed) return { kind: 'closing' };
      const left = deadline - Date.now();
      if (left <= 0) return { kind: 'timeout' };
      await sub.next(left, signal);
    }
  } finally {
    sub.stop();
  }
}
