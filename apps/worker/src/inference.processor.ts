import { DelayedError, UnrecoverableError } from 'bullmq';
import type { Job } from 'bullmq';
import type { Backend } from '@inferq/backends';
import type { FinishReason, JobError, Logger, ModelCatalog, ResolvedModel, Usage } from '@inferq/core';
import { QueueJobData, toMessages } from '@inferq/core';
import type { JobEventLog, JobStore, ResponseCache, StoredRequest } from '@inferq/store';
import { isCacheable } from '@inferq/store';
import { classifyFailure, JobCanceledError, JobTimeoutError } from './failure';
import { failInvalidPayload } from './queue-failures';
import type { InflightJobs } from './inflight-jobs';
import { RetryableJobError } from './retry-policy';
import { TokenSink } from './token-sink';
import type { WorkerMetrics } from '@inferq/telemetry';

export interface ProcessorDeps {
  store: JobStore;
  catalog: ModelCatalog;
  backendFor: (model: ResolvedModel) => Backend;
  inflight: InflightJobs;
  logger: Logger;
  /** Where streamed tokens go (the job's event stream). */
  events: JobEventLog;
  /** Prometheus hooks; optional so a processor can run without a registry. */
  metrics?: WorkerMetrics;
  /** Stores the answers of cache-eligible jobs (`cache: true`, temperature 0) for the api to reuse. */
  responseCache?: ResponseCache;
}

/** Runs one attempt of an inference job against its backend. */
export function createInferenceProcessor(deps: ProcessorDeps) {
  return async (job: Job, token?: string): Promise<void> => {
    const parsed = QueueJobData.safeParse(job.data);
    if (!parsed.success) return failInvalidPayload(deps, job, parsed.error.message);
    const { id, tenant } = parsed.data;
    const attempt = Math.max(job.attemptsStarted, job.attemptsMade + 1);
    const started = await deps.store.start(id, attempt);
    // Canceled, expired or already finished by another attempt: nothing to run.
    if (started.kind !== 'started') return;

    // A child logger costs ~4 us to make and most jobs never log: made on first use.
    let child: Logger | undefined;
    const log = () => (child ??= deps.logger.child({ jobId: id, tenant, attempt }));
    const failNow = async (error: JobError) => {
      if ((await deps.store.fail(id, tenant, error)).kind === 'written')
        deps.metrics?.jobFinished(started.model, 'failed');
      throw new UnrecoverableError(`${error.code}: ${error.message}`);
    };
    const maxAttempts = started.request.max_attempts ?? 1;
    if (attempt > maxAttempts) {
      return failNow({ code: 'stalled', message: `the job's worker stopped ${attempt - 1} times`, retryable: false });
    }
    const model = deps.catalog.resolve(started.model);
    if (!model)
      return failNow({ code: 'unknown_model', message: `no backend serves ${started.model}`, retryable: false });

    if (attempt === 1) deps.metrics?.queueWait(model.id, model.pool, Date.now() - started.createdAt);
    const ranAt = Date.now();
    const run = await runAttempt(deps, { id, attempt, log }, model, started.request);
    deps.metrics?.attemptRan(model.id, model.pool, {
      ms: Date.now() - ranAt,
      ttftMs: run.ttftMs,
      usage: run.ok ? run.usage : undefined,
    });
    if (run.ok) {
      const done = await deps.store.succeed(id, tenant, {
        output: run.output,
        usage: run.usage,
        ttftMs: run.ttftMs,
        tailTokens: run.tail,
      });
      if (done.kind === 'written') deps.metrics?.jobFinished(model.id, 'succeeded');
      if (done.kind === 'written' && deps.responseCache && isCacheable(started.request)) {
        // A lost cache write only costs a future miss; the job has succeeded either way.
        await deps.responseCache
          .put(tenant, started.model, started.request, run.output)
          .catch((err: unknown) => log().warn({ err }, 'response cache write failed'));
      }
      return;
    }
    const failure = classifyFailure(run.err);
    if (failure.kind === 'canceled') return deps.metrics?.jobFinished(model.id, 'canceled');
    if (failure.kind === 'shutdown') {
      // Hand the job back without spending an attempt.
      await deps.store.requeue(id, { code: 'internal', message: 'worker shut down', retryable: true });
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
    const { error, retryAfterMs } = failure;
    log().warn({ code: error.code, retryable: error.retryable }, 'attempt failed');
    deps.metrics?.backendError(model.backend, error.code);
    if (!error.retryable || attempt >= maxAttempts) {
      if ((await deps.store.fail(id, tenant, error, run.ttftMs)).kind === 'written')
        deps.metrics?.jobFinished(model.id, 'failed');
      throw new UnrecoverableError(`${error.code}: ${error.message}`);
    }
    await deps.store.requeue(id, error);
    throw new RetryableJobError(error, retryAfterMs);
  };
}

type AttemptResult =
  | {
      ok: true;
      output: { text: string; finish_reason: FinishReason };
      usage: Usage;
      ttftMs: number | null;
      tail: string;
    }
  | { ok: false; err: unknown; ttftMs: number | null };

interface Attempt {
  id: string;
  attempt: number;
  log: () => Logger;
}

async function runAttempt(
  deps: ProcessorDeps,
  a: Attempt,
  model: ResolvedModel,
  req: StoredRequest,
): Promise<AttemptResult> {
  const { id } = a;
  const ac = deps.inflight.begin(id);
  const timer = setTimeout(() => ac.abort(new JobTimeoutError(req.timeout_s)), req.timeout_s * 1000);
  const t0 = Date.now();
  let ttftMs: number | null = null;
  // A token write the job refuses means it was canceled (or taken over) meanwhile: stop paying for it.
  const sink = new TokenSink(
    (text, first) => deps.events.appendTokens(id, a.attempt, text, first ? ttftMs : null),
    () => ac.abort(new JobCanceledError()),
    a.log,
  );
  try {
    const result = await deps.backendFor(model).generate(
      { model: model.upstream, messages: toMessages(req.input), params: req.params ?? {} },
      {
        signal: ac.signal,
        onToken: (text) => {
          if (ttftMs === null) ttftMs = Date.now() - t0;
          sink.push(text);
        },
      },
    );
    // A cancel that lands as the call returns still wins: the record is already canceled.
    if (ac.signal.aborted) return { ok: false, err: ac.signal.reason, ttftMs };
    // The tokens not yet written ride along with the terminal write, before its status and `done`.
    const tail = await sink.settle();
    return {
      ok: true,
      output: { text: result.text, finish_reason: result.finishReason },
      usage: result.usage,
      ttftMs,
      tail,
    };
  } catch (err) {
    return { ok: false, err: ac.signal.aborted ? ac.signal.reason : err, ttftMs };
  } finally {
    clearTimeout(timer);
    deps.inflight.end(id);
    // Every token is in the stream before the terminal status (and `done`) is written.
    await sink.close();
  }
}
