import type { Registry } from 'prom-client';
import type { BatchRunStore, BatchStore, FileStore } from '@inferq/store';

/**
 * The Batch API of one api process: its stores, for the routes, and its
 * runner. `D` is what `start` needs (ApiDeps), a parameter so that deps.ts
 * can name this type without importing the runtime (no import cycle).
 */
export interface BatchRuntime<D> {
  files: FileStore;
  batches: BatchStore;
  runs: BatchRunStore;
  /** Starts the runner (once the rest of the process is wired). */
  start(deps: D): void;
  /** Looks for batches to run now (one was just created). */
  wake(): void;
  registerMetrics(registry: Registry): void;
  /** Stops the runner; its batches' leases go back, for another process. */
  close(): Promise<void>;
}
