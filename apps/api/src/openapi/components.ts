import { z } from 'zod';
import {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  ErrorBody,
  ErrorCode,
  FailureCode,
  JobAccepted,
  JobList,
  JobRecord,
  JobRequest,
  JobStatus,
  ModelList,
  OpenAIErrorBody,
  StatusEventData,
  TokenEventData,
  WebhookPayload,
} from '@inferq/core';

/** Named schemas under #/components/schemas; `input` ones describe what a caller sends. */
export const COMPONENTS: ReadonlyArray<{ name: string; schema: z.ZodType; io: 'input' | 'output' }> = [
  { name: 'JobRequest', schema: JobRequest, io: 'input' },
  { name: 'JobAccepted', schema: JobAccepted, io: 'output' },
  { name: 'JobRecord', schema: JobRecord, io: 'output' },
  { name: 'JobList', schema: JobList, io: 'output' },
  { name: 'JobStatus', schema: JobStatus, io: 'output' },
  { name: 'FailureCode', schema: FailureCode, io: 'output' },
  { name: 'ErrorCode', schema: ErrorCode, io: 'output' },
  { name: 'ErrorBody', schema: ErrorBody, io: 'output' },
  { name: 'ModelList', schema: ModelList, io: 'output' },
  { name: 'StatusEventData', schema: StatusEventData, io: 'output' },
  { name: 'TokenEventData', schema: TokenEventData, io: 'output' },
  { name: 'WebhookPayload', schema: WebhookPayload, io: 'output' },
  { name: 'ChatCompletionRequest', schema: ChatCompletionRequest, io: 'input' },
  { name: 'ChatCompletion', schema: ChatCompletion, io: 'output' },
  { name: 'ChatCompletionChunk', schema: ChatCompletionChunk, io: 'output' },
  { name: 'OpenAIErrorBody', schema: OpenAIErrorBody, io: 'output' },
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
