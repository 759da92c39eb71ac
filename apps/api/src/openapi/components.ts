import { z } from 'zod';
import {
  ApiErrorBody,
  ApiErrorCode,
  BackendKind,
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  FailureCode,
  JobAccepted,
  JobList,
  JobRecord,
  JobRequest,
  JobStatus,
  OpenAIErrorBodySchema,
} from '@inferq/core';

/**
 * Schemas of answers that have no zod schema in @inferq/core because the
 * server builds them inline. They describe the SPEC's shapes for the document
 * only; the tests parse real answers with them so they cannot go stale.
 */
/** GET /v1/models, in OpenAI's list shape (SPEC section 10) with inferq's backend and pool. */
export const ModelList = z.object({
  object: z.literal('list'),
  data: z.array(
    z.object({
      id: z.string(),
      object: z.literal('model'),
      created: z.number().int(),
      owned_by: z.string(),
      backend: BackendKind,
      pool: z.string(),
    }),
  ),
});
export const HealthStatus = z.object({ status: z.literal('ok') });
export const ReadyStatus = z.object({ status: z.literal('ready') });
export const WebhookSecret = z.object({ secret: z.string().startsWith('whsec_') });
export const UsageReport = z.object({
  data: z.array(
    z.object({
      date: z.string(),
      model: z.string(),
      jobs: z.number().int(),
      input_tokens: z.number().int(),
      output_tokens: z.number().int(),
    }),
  ),
});
export const ApiKeyCreated = z.object({ id: z.string(), tenant: z.string(), key: z.string(), created_at: z.string() });
export const ApiKeyList = z.object({
  data: z.array(z.object({ id: z.string(), tenant: z.string(), created_at: z.string() })),
});

/** The `data:` of each SSE event of GET /v1/jobs/{id}/events, by event name. */
export const StatusEventData = z.object({ status: JobStatus });
export const TokenEventData = z.object({ text: z.string() });

/** Webhook POST body (SPEC section 6), signed with the Standard Webhooks scheme. */
export const WebhookPayload = z.object({
  type: z.enum(['job.running', 'job.succeeded', 'job.failed', 'job.canceled']),
  timestamp: z.string(),
  data: JobRecord,
});

/** Named schemas under #/components/schemas; `input` ones describe what a caller sends. */
export const COMPONENTS: ReadonlyArray<{ name: string; schema: z.ZodType; io: 'input' | 'output' }> = [
  { name: 'JobRequest', schema: JobRequest, io: 'input' },
  { name: 'JobAccepted', schema: JobAccepted, io: 'output' },
  { name: 'JobRecord', schema: JobRecord, io: 'output' },
  { name: 'JobList', schema: JobList, io: 'output' },
  { name: 'JobStatus', schema: JobStatus, io: 'output' },
  { name: 'FailureCode', schema: FailureCode, io: 'output' },
  { name: 'ErrorCode', schema: ApiErrorCode, io: 'output' },
  { name: 'ErrorBody', schema: ApiErrorBody, io: 'output' },
  { name: 'ModelList', schema: ModelList, io: 'output' },
  { name: 'StatusEventData', schema: StatusEventData, io: 'output' },
  { name: 'TokenEventData', schema: TokenEventData, io: 'output' },
  { name: 'WebhookPayload', schema: WebhookPayload, io: 'output' },
  { name: 'ChatCompletionRequest', schema: ChatCompletionRequest, io: 'input' },
  { name: 'ChatCompletion', schema: ChatCompletion, io: 'output' },
  { name: 'ChatCompletionChunk', schema: ChatCompletionChunk, io: 'output' },
  { name: 'OpenAIErrorBody', schema: OpenAIErrorBodySchema, io: 'output' },
];

export type JsonSchema = Record<string, unknown>;

/** zod's own JSON Schema (draft 2020-12, which OpenAPI 3.1 uses as is). */
export function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const named = COMPONENTS.find((c) => c.schema === schema && c.io === io);
  if (named) return { $ref: `#/components/schemas/${named.name}` };
  // Refinements and transforms have no JSON Schema form; the shape around them still documents the field.
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

export function componentSchemas(): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const c of COMPONENTS) {
    const json = z.toJSONSchema(c.schema, { io: c.io, unrepresentable: 'any' }) as JsonSchema;
    delete json.$schema;
    out[c.name] = json;
  }
  out.FailureCode = { ...out.FailureCode, description: FAILURE_CODE_DESCRIPTION };
  return out;
}

const FAILURE_CODE_DESCRIPTION = [
  "A failed job's `error.code`, from one closed set:",
  '`provider_rate_limited` (the provider answered 429; retried, not before its Retry-After),',
  '`provider_unavailable` (5xx, connection refused or reset; retried),',
  '`provider_timeout` (the provider call hit its deadline; retried),',
  '`provider_rejected` (the provider refused the request, 4xx; not retried),',
  '`provider_auth` (the provider refused our credentials; not retried),',
  '`timeout` (the job ran past its timeout_s), `invalid_payload` (the queued job did not parse),',
  '`unknown_model` (no backend on the worker serves the model),',
  '`stalled` (its workers died more often than max_attempts allows),',
  '`deadline_exceeded` (still queued when its deadline_s ran out; no backend was called), `internal` (retried).',
].join(' ');
