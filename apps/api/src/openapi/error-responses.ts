import {
  BudgetExceededError,
  ConflictError,
  ForbiddenError,
  IdempotencyMismatchError,
  JobFailedError,
  ModelNotFoundError,
  NotFoundError,
  PayloadTooLargeError,
  QueueFullError,
  RateLimitedError,
  renderError,
  UnauthorizedError,
  UnavailableError,
  UnsupportedMediaTypeError,
  ValidationError,
  WaitTimeoutError,
} from '@inferq/core';
import type { ErrorCode, ErrorResponse, ErrorStyle } from '@inferq/core';
import type { AuthMode } from '../auth';
import { JOB_ID } from './examples';

/**
 * One sample of every API error, built by the real error module, so each
 * code's status, headers and example body come from the one place that maps
 * errors to HTTP. Record<ErrorCode, ...> makes a new code a compile error here.
 */
const SAMPLES: Record<ErrorCode, () => unknown> = {
  validation_error: () =>
    new ValidationError('invalid request body: input: Invalid input', [
      { path: 'input', message: 'Invalid input' },
      { path: 'priority', message: 'Invalid option: expected one of "high"|"normal"|"low"' },
    ]),
  unauthorized: () => new UnauthorizedError(),
  forbidden: () => new ForbiddenError('not allowed'),
  not_found: () => new NotFoundError(`no job ${JOB_ID}`),
  conflict: () => new ConflictError(`job ${JOB_ID} is already succeeded`),
  payload_too_large: () => new PayloadTooLargeError('request body is larger than 1048576 bytes'),
  unsupported_media_type: () => new UnsupportedMediaTypeError('request bodies must be application/json'),
  idempotency_mismatch: () => new IdempotencyMismatchError('Idempotency-Key was used with another body'),
  rate_limited: () => new RateLimitedError('rate limit of 6000 requests per minute reached', 2),
  queue_full: () => new QueueFullError('10000 jobs already queued for this tenant', 5),
  budget_exceeded: () => new BudgetExceededError('daily token budget used up', 3600),
  unavailable: () => new UnavailableError('Redis is unavailable, retry shortly'),
  internal_error: () => new Error('an unexpected bug'),
  model_not_found: () => new ModelNotFoundError('openai/gpt-9'),
  timeout: () => new WaitTimeoutError(JOB_ID, 300),
  job_failed: () =>
    new JobFailedError(JOB_ID, { code: 'provider_unavailable', message: 'upstream answered 503', retryable: true }),
};

export function errorSample(code: ErrorCode, style: ErrorStyle = 'inferq'): ErrorResponse<unknown> {
  return renderError(style, SAMPLES[code](), '7f1c0c1e-0d7a-4d0f-9a53-7d1f0c2b9e11');
}

export interface ErrorSources {
  auth: AuthMode;
  hasParams: boolean;
  hasQuery: boolean;
  hasBody: boolean;
  /** Codes the route's doc adds. */
  extra?: readonly ErrorCode[];
}

/** The codes a route can answer: implied by its auth and schemas, plus its doc's own. */
export function errorCodesOf(s: ErrorSources): ErrorCode[] {
  const codes = new Set<ErrorCode>(s.extra ?? []);
  if (s.auth !== 'none') ['unauthorized', 'unavailable'].forEach((c) => codes.add(c as ErrorCode));
  // RATE_LIMIT_RPM counts a tenant's requests; the admin token is not rate limited.
  if (s.auth === 'tenant') codes.add('rate_limited');
  if (s.hasParams) codes.add('not_found');
  if (s.hasParams || s.hasQuery || s.hasBody) codes.add('validation_error');
  if (s.hasBody) ['payload_too_large', 'unsupported_media_type'].forEach((c) => codes.add(c as ErrorCode));
  codes.add('internal_error');
  return [...codes];
}

/** OpenAPI responses for the codes, one per status, each code an example, in the route's error style. */
export function errorResponses(codes: readonly ErrorCode[], style: ErrorStyle = 'inferq'): Record<string, unknown> {
  const schema = style === 'openai' ? 'OpenAIErrorBody' : 'ErrorBody';
  const byStatus = new Map<number, ErrorCode[]>();
  for (const c of codes) {
    const status = errorSample(c).status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), c]);
  }
  const out: Record<string, unknown> = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    const samples = list.map((c) => [c, errorSample(c, style)] as const);
    const headers = new Set(samples.flatMap(([, s]) => Object.keys(s.headers)));
    out[String(status)] = {
      description: `Error ${list.map((c) => `\`${c}\``).join(', ')}`,
      ...(headers.size ? { headers: Object.fromEntries([...headers].map((h) => [h, headerDoc(h)])) } : {}),
      content: {
        'application/json': {
          schema: { $ref: `#/components/schemas/${schema}` },
          examples: Object.fromEntries(samples.map(([c, s]) => [c, { value: s.body }])),
        },
      },
    };
  }
  return out;
}

function headerDoc(name: string): unknown {
  const description = HEADER_DOCS[name] ?? name;
  return { description, schema: { type: 'string' } };
}

const HEADER_DOCS: Record<string, string> = {
  'Retry-After': 'Seconds to wait before retrying.',
  'x-should-retry': '`false`: the OpenAI SDKs do not send the request again.',
};
