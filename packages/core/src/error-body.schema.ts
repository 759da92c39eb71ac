import { z } from 'zod';
import type { ErrorCode, ErrorBody } from './errors';
import type { OpenAIErrorBody } from './openai-error';

/**
 * The error body as a zod schema, for the OpenAPI document and for clients
 * that want to check what they got. `ErrorCode` in errors.ts stays the source
 * of truth; the checks below break the build when the two drift apart.
 */
export const ApiErrorCode = z.enum([
  'validation_error',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'idempotency_mismatch',
  'rate_limited',
  'queue_full',
  'budget_exceeded',
  'unavailable',
  'internal_error',
  'model_not_found',
  'timeout',
  'job_failed',
]);

export const ApiErrorBody = z.object({
  error: z.object({
    code: ApiErrorCode,
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

/** The error body of the OpenAI-compatible routes (SPEC section 10). */
export const OpenAIErrorBodySchema = z.object({
  error: z.object({ message: z.string(), type: z.string(), param: z.string().nullable(), code: ApiErrorCode }),
});

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
/** Both directions: a code added to ErrorCode but not here (or the reverse) fails to compile. */
export type ErrorCodesInSync = Assert<Same<z.infer<typeof ApiErrorCode>, ErrorCode>>;
export type ErrorBodyInSync = Assert<Same<z.infer<typeof ApiErrorBody>, ErrorBody>>;
export type OpenAIErrorBodyInSync = Assert<Same<z.infer<typeof OpenAIErrorBodySchema>, OpenAIErrorBody>>;
