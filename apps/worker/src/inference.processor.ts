import { DelayedError, UnrecoverableError } from 'bullmq';
import type { Job } from 'bullmq';
import type { Backend } from '@inferq/backends';
import type { FinishReason, JobError, Logger, ModelCatalog, ResolvedModel, Usage } from '@inferq/core';
import { QueueJobData, toMessages } from '@inferq/core';
import type { JobStore, StoredRequest } from '@inferq/store';
import { classifyFailure, JobTimeoutError } from './failure';
import type { InflightJobs } from './inflight-jobs';
import { RetryableJobError } from './retry-policy';

export interface ProcessorDeps {
  store: JobStore;
  catalog: ModelCatalog;
  backendFor: (model: ResolvedModel) => Backend;
  inflight: InflightJobs;
  logger: Logger;
}

/** Runs one attempt of an inference job against its backend. */
export function createInferenceProcessor(deps: ProcessorDeps) {
  return async (job: Job, token?: string): Promise<void> => {
    const parsed = QueueJobData.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError('invalid_payload: the queued job does not parse');
    const { id, tenant } = parsed.data;
    const attempt = Math.max(job.attemptsStarted, job.attemptsMade + 1);
    const started = await deps.store.start(id, attempt);
    // Canceled, expired or already finished by another attempt: nothing to run.
    if (started.kind !== 'started') return;

    const log = deps.logger.child({ jobId: id, tenant, attempt });
    const failNow = async (error: JobError) => {
      await deps.store.fail(id, tenant, error);
      throw new UnrecoverableError(`${error.code}: ${error.message}`);
    };
    const maxAttempts = started.request.max_attempts ?? 1;
    if (attempt > maxAttempts) {
      return failNow({ code: 'stalled', message: `the job's worker stopped ${attempt - 1} times`, retryable: false });
    }
    const model = deps.catalog.resolve(started.model);
    if (!model) return failNow({ code: 'unknown_model', message: `no backend serves ${started.model}`, retryable: false });

    const run = await runAttempt(deps, id, model, started.request);
    if (run.ok) {
      await deps.store.succeed(id, tenant, { output: run.output, usage: run.usage, ttftMs: run.ttftMs });
      return;
    }
    const failure = classifyFailure(run.err);
    if (failure.kind === 'canceled') return;
    if (failure.kind === 'shutdown') {
      // Hand the job back without spending an attempt.
      await deps.store.requeue(id, { code: 'internal', message: 'worker shut down', retryable: true });
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
    const { error, retryAfterMs } = failure;
    log.warn({ code: error.code, retryable: error.retryable }, 'attempt failed');
    if (!error.retryable || attempt >= maxAttempts) {
      await deps.store.fail(id, tenant, error, run.ttftMs);
      throw new UnrecoverableError(`${error.code}: ${error.message}`);
    }
    await deps.store.requeue(id, error);
    throw new RetryableJobError(error, retryAfterMs);
  };
}

type AttemptResult =
  | { ok: true; output: { text: string; finish_reason: FinishReason }; usage: Usage; ttftMs: number | null }
  | { ok: false; err: unknown; ttftMs: number | null };

async function runAttempt(deps: ProcessorDeps, id: string, model: ResolvedModel, req: StoredRequest): Promise<AttemptResult> {
  const ac = deps.inflight.begin(id);
  const timer = setTimeout(() => ac.abort(new JobTimeoutError(req.timeout_s)), req.timeout_s * 1000);
  const t0 = Date.now();
  let ttftMs: number | null = null;
  try {
    const result = await deps.backendFor(model).generate(
      { model: model.upstream, messages: toMessages(req.input), params: req.params ?? {} },
      {
        signal: ac.signal,
        onToken: () => {
          if (ttftMs === null) ttftMs = Date.now() - t0;
        },
      },
    );
    // A cancel that lands as the call returns still wins: the record is already canceled.
    if (ac.signal.aborted) return { ok: false, err: ac.signal.reason, ttftMs };
    return { ok: true, output: { text: result.text, finish_reason: result.finishReason }, usage: result.usage, ttftMs };
  } catch (err) {
    return { ok: false, err: ac.signal.aborted ? ac.signal.reason : err, ttftMs };
  } finally {
    clearTimeout(timer);
    deps.inflight.end(id);
  }
}
