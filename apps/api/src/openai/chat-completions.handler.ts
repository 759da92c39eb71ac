import {
  AppError,
  chatCompletionFromRecord,
  chatCompletionId,
  chatRequestToJob,
  ModelNotFoundError,
  UnavailableError,
  unixSeconds,
  WaitTimeoutError,
} from '@inferq/core';
import type { ChatCompletionRequest, JobAccepted } from '@inferq/core';
import { JobEventLog } from '@inferq/store';
import type { ApiDeps } from '../deps';
import { cancelOwnJob } from '../handlers/cancel-own-job';
import { submitIdempotent } from '../handlers/idempotent-submit';
import { SSE_HEADERS } from '../handlers/job-events.handler';
import { relayJobEvents } from '../job-event-relay';
import type { RelayDeps } from '../job-event-relay';
import type { HandlerContext, HandlerResult, NoInput, RouteResult } from '../route';
import type { StreamResult } from '../stream-result';
import { ChatChunkFramer } from './chat-chunk-framer';
import { outcomeError, withJobId } from './job-outcome';
import { waitForJob } from './job-wait';

type ChatContext = HandlerContext<NoInput, NoInput, ChatCompletionRequest>;

/** The job behind one chat request; `owned` when this request created it (not an idempotent replay). */
interface ChatJob {
  accepted: JobAccepted;
  owned: boolean;
  headers: Record<string, string>;
}

/**
 * POST /v1/chat/completions (SPEC section 10): the chat body becomes a job,
 * submitted exactly as POST /v1/jobs submits (admission, Idempotency-Key,
 * submitJob); then the answer waits for the job (the `?wait` mechanism, up to
 * SYNC_WAIT_S) or streams its events as chunks (the SSE relay). A client that
 * leaves before the end cancels the job it created.
 */
export function chatCompletionsHandler(deps: ApiDeps) {
  const relay: RelayDeps = {
    watcher: deps.watcher,
    events: new JobEventLog(deps.redis, { prefix: deps.config.QUEUE_PREFIX }),
    store: deps.store,
  };
  return async (ctx: ChatContext): Promise<RouteResult> => {
    const request = chatRequestToJob(ctx.body);
    const model = deps.catalog.resolve(request.model);
    if (!model) throw new ModelNotFoundError(request.model);
    const { accepted, replayed } = await submitIdempotent(deps, ctx, request, model);
    const headers: Record<string, string> = { 'x-inferq-job-id': accepted.id };
    if (replayed) headers['Idempotent-Replayed'] = 'true';
    const job = { accepted, owned: !replayed, headers };
    if (ctx.body.stream) return streamed(deps, relay, ctx, job);
    return waited(deps, ctx, job);
  };
}

async function waited(deps: ApiDeps, ctx: ChatContext, job: ChatJob): Promise<HandlerResult> {
  const { id } = job.accepted;
  const waitS = deps.config.SYNC_WAIT_S;
  const outcome = await waitForJob(deps, id, ctx.tenant, waitS * 1000, ctx.signal);
  switch (outcome.kind) {
    case 'terminal':
      if (outcome.record.status !== 'succeeded') throw outcomeError(id, outcome.record);
      return { status: 200, body: chatCompletionFromRecord(outcome.record), headers: job.headers };
    case 'timeout':
      throw withJobId(new WaitTimeoutError(id, waitS), id);
    case 'closing':
      throw withJobId(
        new UnavailableError(`the api is shutting down; job ${id} goes on at GET /v1/jobs/${id}`),
        id,
        false,
      );
    case 'aborted':
      // Nobody reads this answer any more.
      await cancelLeftJob(deps, ctx.tenant, job);
      return { status: 499, body: undefined, headers: job.headers };
  }
}

function streamed(deps: ApiDeps, relay: RelayDeps, ctx: ChatContext, job: ChatJob): StreamResult {
  const { id, model, created_at } = job.accepted;
  const includeUsage = ctx.body.stream_options?.include_usage === true;
  const base = { id: chatCompletionId(id), created: unixSeconds(created_at), model, includeUsage };
  return {
    status: 200,
    headers: { ...SSE_HEADERS, ...job.headers },
    async stream(out) {
      const framer = new ChatChunkFramer(base, id);
      out.write(framer.start());
      await relayJobEvents(relay, id, undefined, out, framer);
      if (!framer.finished && out.signal.aborted) await cancelLeftJob(deps, ctx.tenant, job);
    },
  };
}

/** A client that left before the end cancels the job it created; one already over stays as it is. */
async function cancelLeftJob(deps: ApiDeps, tenant: string, job: ChatJob): Promise<void> {
  if (!job.owned) return;
  try {
    await cancelOwnJob(deps, job.accepted.id, tenant);
  } catch (err) {
    if (err instanceof AppError && err.httpStatus < 500) return;
    deps.logger.warn({ err, jobId: job.accepted.id }, 'could not cancel the job of a client that left');
  }
}
