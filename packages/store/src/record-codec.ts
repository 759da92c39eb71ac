import type { JobError, JobRecord, JobRequest, JobStatus, Metadata, Priority, WebhookEventName } from '@inferq/core';
import { isTerminal, iso } from '@inferq/core';

/** What a job hash holds beyond the public record. */
export interface StoredJob {
  record: JobRecord;
  tenant: string;
  pool: string;
  priority: Priority;
  /** Stream id of the job's `done` event, once finished (SSE replays after the stream is gone use it). */
  doneId?: string;
}

/** The parts of the request the worker needs, as stored in the `req` field. */
export type StoredRequest = Pick<
  JobRequest,
  'input' | 'params' | 'timeout_s' | 'max_attempts' | 'cache' | 'deadline_s'
>;

export interface NewJob {
  id: string;
  tenant: string;
  pool: string;
  createdAt: number;
  request: JobRequest;
  /**
   * What the fair scheduler charges it when it starts (tokens; default: the
   * estimate from its input and max_tokens) and its tenant's weight (default 1).
   */
  estimate?: number;
  weight?: number;
  /** The stored form of requestJson(request) (JobStore.prepare compresses it off the event loop); made at write time when absent. */
  payload?: string | Buffer;
}

const DEFAULT_WEBHOOK_EVENTS: WebhookEventName[] = ['succeeded', 'failed', 'canceled'];

/** The JSON text of what the worker needs of a request: the payload's `in`. */
export function requestJson(r: JobRequest): string {
  const req: StoredRequest = {
    input: r.input,
    params: r.params,
    timeout_s: r.timeout_s,
    max_attempts: r.max_attempts,
    cache: r.cache,
    deadline_s: r.deadline_s,
  };
  return JSON.stringify(req);
}

/**
 * Field/value pairs of a new job's hash. The input is not among them: it lives
 * in the job's payload hash, so the record stays small (Redis keeps a hash of
 * short values as a compact listpack) and outlives the payload.
 */
export function encodeNewJob(job: NewJob): string[] {
  const r = job.request;
  const fields = [
    'tenant',
    job.tenant,
    'status',
    'queued',
    'model',
    r.model,
    'pool',
    job.pool,
    'priority',
    r.priority,
    'created_at',
    String(job.createdAt),
    'attempts',
    '0',
  ];
  if (r.metadata) fields.push('metadata', JSON.stringify(r.metadata));
  if (r.webhook) {
    const events = r.webhook.events ?? DEFAULT_WEBHOOK_EVENTS;
    fields.push('webhook', JSON.stringify({ url: r.webhook.url, events }));
  }
  return fields;
}

const json = <T>(s: string | undefined): T | null => (s ? (JSON.parse(s) as T) : null);
const num = (s: string | undefined): number | null => (s ? Number(s) : null);
const time = (s: string | undefined): string | null => (s ? iso(Number(s)) : null);

/**
 * The public record from a job hash (HGETALL) and the payload's `out`: the
 * output's JSON text ('' when the job ended without one), or null when the
 * payload has none (not finished, or expired). Records written before the
 * payload hash existed carry `req` and `output` themselves.
 */
export function decodeJob(id: string, h: Record<string, string>, out: string | null): StoredJob {
  const created = Number(h.created_at);
  const firstStart = num(h.first_started_at);
  const start = num(h.started_at);
  const done = num(h.completed_at);
  const webhook = json<{ url: string; events: WebhookEventName[] }>(h.webhook);
  const record: JobRecord = {
    id,
    status: h.status as JobStatus,
    model: h.model ?? '',
    created_at: iso(created),
    started_at: time(h.started_at),
    completed_at: time(h.completed_at),
    attempts: Number(h.attempts ?? 0),
    output: out !== null ? json(out) : json(h.output),
    usage: json(h.usage),
    error: json<JobError>(h.error),
    timings: {
      // A job that ended without running (canceled while queued, cached) waited until it ended and ran 0 ms.
      queue_ms: firstStart !== null ? firstStart - created : done !== null ? done - created : null,
      run_ms: done === null ? null : start !== null ? done - start : 0,
      ttft_ms: num(h.ttft_ms),
    },
    metadata: json<Metadata>(h.metadata),
    webhook: webhook ? { ...webhook, deliveries: json(h.deliveries) ?? [] } : null,
  };
  if (h.cached === '1') record.cached = true;
  if (out === null && h.req === undefined && isTerminal(record.status)) record.expired = true;
  const priority = (h.priority as Priority | undefined) ?? 'normal';
  const job: StoredJob = { record, tenant: h.tenant ?? '', pool: h.pool ?? '', priority };
  if (h.done_id) job.doneId = h.done_id;
  return job;
}
