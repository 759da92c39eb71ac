import { UnrecoverableError } from 'bullmq';
import type { Job } from 'bullmq';
import { poolOfQueue } from '@inferq/core';
import type { JobError, Logger } from '@inferq/core';
import type { JobStore, Promotion } from '@inferq/store';
import type { WorkerMetrics } from '@inferq/telemetry';

/**
 * Failures the queue decides rather than a backend: a payload that does not
 * parse, and a job BullMQ fails itself after it stalled too often. Either way
 * the job record must end too, or it stays `queued`/`running` forever and
 * holds its tenant's active slot. The record is found by the BullMQ job id,
 * which is the record id (see poolJobOptions), and its tenant is read from
 * the record, never from job data that may be the very thing that is wrong.
 */
export interface QueueFailureDeps {
  store: JobStore;
  logger: Logger;
  metrics?: WorkerMetrics;
  /** Frees the job's slot in its pool's scheduler once its record has ended. */
  promotion?: Promotion;
}

async function failRecordOf(deps: QueueFailureDeps, job: Job, error: JobError): Promise<void> {
  const stored = job.id ? await deps.store.get(job.id) : undefined;
  if (stored && (await deps.store.fail(stored.record.id, stored.tenant, error)).kind === 'written')
    deps.metrics?.jobFinished(stored.record.model, 'failed');
  if (job.id) await deps.promotion?.finish(poolOfQueue(job.queueName), job.id, null);
}

/** A dequeued job whose data does not parse: its record fails `invalid_payload`; BullMQ does not retry it. */
export async function failInvalidPayload(deps: QueueFailureDeps, job: Job, issues: string): Promise<never> {
  const error: JobError = { code: 'invalid_payload', message: 'the queued job does not parse', retryable: false };
  deps.logger.error({ jobId: job.id, queue: job.queueName, issues }, error.message);
  await failRecordOf(deps, job, error);
  throw new UnrecoverableError(`${error.code}: ${error.message}`);
}

/**
 * BullMQ fails a job that stalled more than `maxStalledCount` times without
 * calling the processor (it defers the failure to the next fetch). Its own
 * counter says so: `stalledCounter` past the limit is exactly its rule. The
 * guarded finish makes this a no-op for a record the processor already ended.
 */
export function failStalledJobs(deps: QueueFailureDeps, maxStalledCount: number) {
  return (job: Job | undefined): void => {
    if (!job || job.stalledCounter <= maxStalledCount) return;
    const message = `the job's worker stopped ${job.stalledCounter} times`;
    failRecordOf(deps, job, { code: 'stalled', message, retryable: false }).catch((err: unknown) =>
      deps.logger.error({ err, jobId: job.id }, 'could not fail the record of a stalled job'),
    );
  };
}
