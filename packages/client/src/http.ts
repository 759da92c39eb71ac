import { InferqApiError, InferqConnectionError } from './errors';
import { parseRetryAfterMs, RETRY_STATUSES, retryDelayMs, sleep } from './retry';
import type { ErrorBody, ErrorCode } from './types';

export interface ClientOptions {
  /** The api's base URL, e.g. http://127.0.0.1:3000 */
  baseUrl: string;
  apiKey: string;
  /** Retries of a 429 or 503 answer before giving up (default 4). */
  maxRetries?: number;
  /** Longest wait between two retries (ms, default 30000); a longer Retry-After is cut to it. */
  maxRetryDelayMs?: number;
  /** First backoff when the server sends no Retry-After (ms, default 500). */
  retryBaseMs?: number;
  /** Another fetch (a proxy agent, a test's wire tap); defaults to the global one. */
  fetch?: typeof fetch;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Transport: auth header, JSON in and out, typed errors, retries of 429/503. */
export class HttpClient {
  private readonly base: string;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly opts: ClientOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
    this.fetchFn = opts.fetch ?? fetch;
  }

  async json<T>(method: string, path: string, o: RequestOptions = {}): Promise<T> {
    const res = await this.send(method, path, o, 'application/json');
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  /** The raw response of a successful request (streams); errors and retries as for `json`. */
  async send(method: string, path: string, o: RequestOptions, accept: string): Promise<Response> {
    const maxRetries = this.opts.maxRetries ?? 4;
    for (let attempt = 1; ; attempt++) {
      const res = await this.once(method, this.url(path, o.query), o, accept);
      if (res.ok) return res;
      const retryAfter = res.headers.get('retry-after');
      if (RETRY_STATUSES.has(res.status) && attempt <= maxRetries) {
        // Only frees the discarded answer's connection; the retry is what matters.
        await res.body?.cancel().catch(() => undefined);
        const delay = retryDelayMs(retryAfter, attempt, {
          baseMs: this.opts.retryBaseMs ?? 500,
          maxMs: this.opts.maxRetryDelayMs ?? 30_000,
        });
        await sleep(delay, o.signal);
        continue;
      }
      throw await toApiError(res, retryAfter);
    }
  }

  private async once(method: string, url: string, o: RequestOptions, accept: string): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.opts.apiKey}`, accept, ...o.headers };
    // A FormData body (a file upload) goes as multipart, fetch setting its boundary.
    const form = o.body instanceof FormData;
    if (o.body !== undefined && !form) headers['content-type'] = 'application/json';
    try {
      return await this.fetchFn(url, {
        method,
        headers,
        body: o.body === undefined ? undefined : form ? (o.body as FormData) : JSON.stringify(o.body),
        signal: o.signal,
      });
    } catch (err) {
      if (o.signal?.aborted) throw err;
      throw new InferqConnectionError(`${method} ${url} failed: ${describe(err)}`, { cause: err });
    }
  }

  url(path: string, query?: RequestOptions['query']): string {
    const url = new URL(this.base + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url.toString();
  }
}

async function toApiError(res: Response, retryAfter: string | null): Promise<InferqApiError> {
  // A body cut off midway still leaves the status, which the error carries.
  const text = await res.text().catch(() => '');
  let body: Partial<ErrorBody> = {};
  try {
    body = JSON.parse(text) as Partial<ErrorBody>;
  } catch {
    // Not our error body (a proxy's HTML page, say): keep the status and the text.
  }
  const e = body.error;
  const retryMs = parseRetryAfterMs(retryAfter, Date.now());
  const retryS = retryMs === undefined ? undefined : retryMs / 1000;
  if (e && typeof e.code === 'string')
    return new InferqApiError(res.status, e.code, e.message, e.details ?? [], retryS);
  return new InferqApiError(res.status, fallbackCode(res.status), text.slice(0, 200) || res.statusText, [], retryS);
}

function fallbackCode(status: number): ErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status === 503) return 'unavailable';
  return status >= 500 ? 'internal_error' : 'validation_error';
}

/** Duck-typed: fetch's errors may come from another realm, where `instanceof Error` is false. */
function describe(err: unknown): string {
  const e = err as { message?: unknown; cause?: { message?: unknown } } | null;
  const message = typeof e?.message === 'string' ? e.message : String(err);
  return typeof e?.cause?.message === 'string' ? `${message}: ${e.cause.message}` : message;
}
