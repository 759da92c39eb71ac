import { InferqTimeoutError } from './errors';
import type { HttpClient } from './http';
import { streamJob } from './job-stream';
import type { StreamOptions } from './job-stream';
import type { JobAccepted, JobEvent, JobList, JobRecord, JobRequestInput, JobStatus } from './types';

export interface CreateOptions {
  /** Same key and body within 24 h returns the same job: makes retries of a submit safe. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface WaitOptions {
  /** Give up after this long (ms) with InferqTimeoutError; without it, wait until the job ends. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ListOptions {
  status?: JobStatus;
  /** 1 to 100, default 20. */
  limit?: number;
  /** `next_cursor` of the previous page. */
  cursor?: string;
  signal?: AbortSignal;
}

const TERMINAL: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'canceled']);
/** The api's longest long-poll (s). */
const MAX_WAIT_S = 60;

export const isTerminalStatus = (status: JobStatus): boolean => TERMINAL.has(status);

export class Jobs {
  constructor(private readonly http: HttpClient) {}

  /** POST /v1/jobs: 202 with the id and links. */
  create(request: JobRequestInput, o: CreateOptions = {}): Promise<JobAccepted> {
    const headers: Record<string, string> = o.idempotencyKey ? { 'idempotency-key': o.idempotencyKey } : {};
    return this.http.json('POST', '/v1/jobs', { body: request, headers, signal: o.signal });
  }

  /** GET /v1/jobs/{id}; `waitS` (0 < s <= 60) long-polls until the job ends or the time is up. */
  get(id: string, o: { waitS?: number; signal?: AbortSignal } = {}): Promise<JobRecord> {
    return this.http.json('GET', `/v1/jobs/${encodeURIComponent(id)}`, { query: { wait: o.waitS }, signal: o.signal });
  }

  /** GET /v1/jobs: newest first, this tenant's only. */
  list(o: ListOptions = {}): Promise<JobList> {
    const query = { status: o.status, limit: o.limit, cursor: o.cursor };
    return this.http.json('GET', '/v1/jobs', { query, signal: o.signal });
  }

  /** Long-polls until the job is succeeded, failed or canceled (a failed job is returned, not thrown). */
  async wait(id: string, o: WaitOptions = {}): Promise<JobRecord> {
    const deadline = o.timeoutMs === undefined ? Infinity : Date.now() + o.timeoutMs;
    for (;;) {
      const leftS = (deadline - Date.now()) / 1000;
      const waitS = Math.min(MAX_WAIT_S, Math.max(1, Math.ceil(leftS)));
      const job = await this.get(id, { waitS, signal: o.signal });
      if (isTerminalStatus(job.status)) return job;
      if (Date.now() >= deadline) throw new InferqTimeoutError(job);
    }
  }

  /** GET /v1/jobs/{id}/events: status, token and done events, resuming by itself after a dropped connection. */
  stream(id: string, o: StreamOptions = {}): AsyncGenerator<JobEvent> {
    return streamJob(this.http, id, o);
  }

  /** POST /v1/jobs/{id}/cancel: the canceled record; InferqApiError `conflict` once the job has ended. */
  cancel(id: string, o: { signal?: AbortSignal } = {}): Promise<JobRecord> {
    return this.http.json('POST', `/v1/jobs/${encodeURIComponent(id)}/cancel`, { signal: o.signal });
  }
}
