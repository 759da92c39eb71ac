import { DelayedError, UnrecoverableError } from 'bullmq';
import type { Job } from 'bullmq';
import type { Backend } from '@inferq/backends';
import type { FinishReason, JobError, Logger, ModelCatalog, ResolvedModel, Usage } from '@inferq/core';
import { poolOfQueue, QueueJobData, toMessages } from '@inferq/core';
import type { JobEventLog, JobStore, Promotion, ResponseCache, StoredRequest } from '@inferq/store';
import { DEADLINE_ERROR, isCacheable } from '@inferq/store';
import { BackendCall } from './backend-call';
import type { Attempt } from './backend-call';
import { classifyFailure, JobTimeoutError } from './failure';
import { failInvalidPayload } from './queue-failures';
import type { InflightJobs } from './inflight-jobs';
import { RetryableJobError } from './retry-policy';
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
  /** Frees a finished job's slot in its pool's fair scheduler and corrects its tenant's charge. */
  promotion: Promotion;
}

/** How a finished attempt settles with the scheduler: real tokens, null to keep the estimate, 0 to refund it. */
type Settle = (tokens: number | null) => void;

/**
 * Runs one attempt of an inference job against its backend. When the job is
 * done with (terminal, or skipped because it already was), its slot goes back
 * to the pool's scheduler before BullMQ hears of it, so the next job in the
 * fair order is in BullMQ's queue when this worker asks for one.
 */
export function createInferenceProcessor(deps: ProcessorDeps) {
  const run = createAttemptRunner(deps);
  return async (job: Job, token?: string): Promise<void> => {
    let settled: { tokens: number | null } | undefined;
    try {
      await run(job, token, (tokens) => (settled = { tokens }));
    } finally {
      if (settled) {
        const pool = poolOfQueue(job.queueName);
        await deps.promotion
          .finish(pool, job.id ?? '', settled.tokens, job.data)
          .catch((err: unknown) =>
            deps.logger.warn({ err, pool }, 'scheduler finish failed; the repair loop frees the slot'),
          );
      }
    }
  };
}

function createAttemptRunner(deps: ProcessorDeps) {
  return async (job: Job, token: string | undefined, settle: Settle): Promise<void> => {
    const parsed = QueueJobData.safeParse(job.data);
    if (!parsed.success) return failInvalidPayload(deps, job, parsed.error.message);
    const { id, tenant } = parsed.data;
    const attempt = Math.max(job.attemptsStarted, job.attemptsMade + 1);
    const started = await deps.store.start(id, attempt);
    // Canceled, expired or already finished by another attempt: nothing to run.
    if (started.kind === 'missing' || started.kind === 'terminal') return settle(null);

    // A child logger costs ~4 us to make and most jobs never log: made on first use.
    let child: Logger | undefined;
    const log = () => (child ??= deps.logger.child({ jobId: id, tenant, attempt }));
    const failNow = async (error: JobError) => {
      settle(error.code === 'deadline_exceeded' ? 0 : null);
      if ((await deps.store.fail(id, tenant, error)).kind === 'written')
        deps.metrics?.jobFinished(started.model, 'failed');
      throw new UnrecoverableError(`${error.code}: ${error.message}`);
    };
    if (started.kind === 'no_input') {
      return failNow({ code: 'invalid_payload', message: "the job's input is missing", retryable: false });
    }
    const maxAttempts = started.request.max_attempts ?? 1;
    if (attempt > maxAttempts) {
      return failNow({ code: 'stalled', message: `the job's worker stopped ${attempt - 1} times`, retryable: false });
    }
    const model = deps.catalog.resolve(started.model);
    if (!model)
      return failNow({ code: 'unknown_model', message: `no backend serves ${started.model}`, retryable: false });
    const deadline = started.request.deadline_s;
    if (attempt === 1 && deadline !== undefined && Date.now() > started.createdAt + deadline * 1000) {
      return failNow(DEADLINE_ERROR);
    }

    // A retry takes its slot back (it gave it up while it waited out its delay).
    if (attempt > 1) await deps.promotion.scheduler.resume(model.pool, id);
    if (attempt === 1) deps.metrics?.queueWait(model.id, model.pool, Date.now() - started.createdAt);
    const ranAt = Date.now();
    const run = await runAttempt(deps, { id, attempt, log }, model, started.request);
    deps.metrics?.attemptRan(model.id, model.pool, {
      ms: Date.now() - ranAt,
      ttftMs: run.ttftMs,
      usage: run.ok ? run.usage : undefined,
    });
    if (run.ok) {
      const tokens = run.usage.input_tokens + run.usage.output_tokens;
      settle(tokens);
      deps.metrics?.tokensServed(model.pool, tenant, tokens);
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
    if (failure.kind === 'canceled') {
      settle(null);
      return deps.metrics?.jobFinished(model.id, 'canceled');
    }
    if (failure.kind === 'shutdown') {
      // Hand the job back without spending an attempt.
      await deps.store.requeue(id, { code: 'internal', message: 'worker shut down', retryable: true });
      await deps.promotion.pause(model.pool, id);
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
    const { error, retryAfterMs } = failure;
    log().warn({ code: error.code, retryable: error.retryable }, 'attempt failed');
    deps.metrics?.backendError(model.backend, error.code);
    if (!error.retryable || attempt >= maxAttempts) {
      settle(null);
      if ((await deps.store.fail(id, tenant, error, run.ttftMs)).kind === 'written')
        deps.metrics?.jobFinished(model.id, 'failed');
      throw new UnrecoverableError(`${error.code}: ${error.message}`);
    }
    await deps.store.requeue(id, error);
    // A job in backoff uses no GPU: its slot goes to the next job in the fair order meanwhile.
    await deps.promotion.pause(model.pool, id);
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

async function runAttempt(
  deps: ProcessorDeps,
  a: Attempt,
  model: ResolvedModel,
  req: StoredRequest,
): Promise<AttemptResult> {
  const running = deps.inflight.begin(a.id);
  const timer = setTimeout(() => running.abort(new JobTimeoutError(req.timeout_s)), req.timeout_s * 1000);
  const call = new BackendCall(deps.events, a, running);
  try {
    const result = await deps
      .backendFor(model)
      .generate({ model: model.upstream, messages: toMessages(req.input), params: paramsFor(req, model) }, call);
    // A cancel that lands as the call returns still wins: the record is already canceled.
    if (running.aborted) return { ok: false, err: running.reason, ttftMs: call.ttftMs };
    // The tokens not yet written ride along with the terminal write, before its status and `done`.
    const tail = await call.sink.settle();
    return {
      ok: true,
      output: { text: result.text, finish_reason: result.finishReason },
      usage: result.usage,
      ttftMs: call.ttftMs,
      tail,
    };
  } catch (err) {
    return { ok: false, err: running.aborted ? running.reason : err, ttftMs: call.ttftMs };
  } finally {
    clearTimeout(timer);
    deps.inflight.end(a.id);
    // Every token is in the stream before the terminal status (and `done`) is written.
    await call.sink.close();
  }
}

/** The request's params, with the model's default_max_tokens where the request sets no max_tokens. */
function paramsFor(req: StoredRequest, model: ResolvedModel): NonNullable<StoredRequest['params']> {
  const params = req.params ?? {};
  if (params.max_tokens !== undefined || model.defaultMaxTokens === undefined) return params;
  return { ...params, max_tokens: model.defaultMaxTokens };
}
