import { UnrecoverableError } from 'bullmq';
import type { Job } from 'bullmq';
import type { JobError, Logger } from '@inferq/core';
import type { JobStore } from '@inferq/store';
import type { WorkerMetrics } from '@inferq/telemetry';

/**
 * A dequeued job whose data does not parse (a bug, or a tampered queue). Its
 * record is found by the BullMQ job id, which is the record id (see
 * poolJobOptions), and its tenant is read from the record, not from the bad
 * data: the record ends `failed` and gives back the tenant's active slot
 * instead of staying `queued` forever. BullMQ does not retry it.
 */
export async function failInvalidPayload(
  deps: { store: JobStore; logger: Logger; metrics?: WorkerMetrics },
  job: Job,
  issues: string,
): Promise<never> {
  const error: JobError = { code: 'invalid_payload', message: 'the queued job does not parse', retryable: false };
  deps.logger.error({ jobId: job.id, queue: job.queueName, issues }, error.message);
  const stored = job.id ? await deps.store.get(job.id) : undefined;
  if (stored && (await deps.store.fail(stored.record.id, stored.tenant, error)).kind === 'written')
    deps.metrics?.jobFinished(stored.record.model, 'failed');
  throw new UnrecoverableError(`${error.code}: ${error.message}`);
}
