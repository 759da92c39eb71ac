import type { JobRequest, Logger, ModelCatalog, ResolvedModel } from '@inferq/core';
import type { BatchRunStore, BatchStore, FileStore, JobStore, PoolQueues, StoredJob } from '@inferq/store';
import type { JobWatcher } from '../job-watcher';

/** Tunables of the batch runner; the defaults suit production, tests shorten them. */
export interface BatchRunnerOptions {
  /** Jobs of one batch created and not yet finished, at most: the feed tops up as they finish. */
  window: number;
  /** Requests created per feed step (one transaction of job creations). */
  feedChunk: number;
  /** How long a runner's lease on a batch lasts without renewal (ms): a killed api's batches move on after it. */
  leaseMs: number;
  /** How often a runner looks for batches nobody runs (ms). */
  pollMs: number;
  /** Batches one api process runs at once. */
  maxBatches: number;
  /** A job's record is read again after this long without a notification (lost pub/sub messages, ms). */
  sweepMs: number;
}

export const DEFAULT_RUNNER_OPTIONS: BatchRunnerOptions = {
  window: 1000,
  feedChunk: 250,
  leaseMs: 10_000,
  pollMs: 1000,
  maxBatches: 32,
  sweepMs: 10_000,
};

/** What a batch runner uses of the api process. */
export interface BatchContext {
  batches: BatchStore;
  runs: BatchRunStore;
  files: FileStore;
  jobs: JobStore;
  queues: PoolQueues;
  /** Takes a job canceled while queued out of its pool's backlog or BullMQ queue, as the cancel route does. */
  takeOutOfQueue(job: StoredJob): Promise<void>;
  watcher: JobWatcher;
  catalog: ModelCatalog;
  logger: Logger;
  /** This process's lease token. */
  owner: string;
  /** Longest input line (characters): the body cap of a single request. */
  maxLineChars: number;
  opts: BatchRunnerOptions;
  /** Creates and enqueues one job under a given id, as POST /v1/jobs does. */
  submit(tenant: string, request: JobRequest, model: ResolvedModel, id: string): Promise<void>;
  /** The reason a request of the tenant may not start now (daily token budget used up), if any. */
  overBudget(tenant: string): Promise<string | undefined>;
  /** A batch ended (metrics). */
  ended(status: string): void;
}
