import { z } from 'zod';
import type { ErrorBody, ErrorResponse } from './errors';
import { ErrorCode, mapError, toErrorResponse } from './errors';

/** The body of OpenAI's errors, which its SDKs read (SPEC section 10); `code` is one of ours. */
export const OpenAIErrorBody = z.object({
  error: z.object({ message: z.string(), type: z.string(), param: z.string().nullable(), code: ErrorCode }),
});
export type OpenAIErrorBody = z.infer<typeof OpenAIErrorBody>;

/**
 * The same mapping (status, headers, code) rendered in OpenAI's shape, for
 * the OpenAI-compatible routes: the status makes the SDKs raise their usual
 * classes, `param` names the first bad field (`messages.[0].content`, as
 * OpenAI writes it), `type` is OpenAI's.
 */
export function toOpenAIErrorResponse(err: unknown, errorId: string): ErrorResponse<OpenAIErrorBody> {
  const m = mapError(err, errorId);
  const path = m.details?.[0]?.path;
  const param = path && path !== 'body' ? path.replace(/(^|\.)(\d+)(?=\.|$)/g, '$1[$2]') : null;
  const body = { error: { message: m.message, type: openAIErrorType(m.status, m.code), param, code: m.code } };
  return { status: m.status, headers: m.headers, body };
}

/** OpenAI's `type` for a status: its SDKs pick the class by status, people read the type. */
function openAIErrorType(status: number, code: ErrorCode): string {
  if (status >= 500) return 'server_error';
  if (code === 'budget_exceeded') return 'insufficient_quota';
  if (status === 429) return 'requests';
  if (status === 403) return 'permission_error';
  return 'invalid_request_error';
}

/** Which shape a route's errors take: inferq's (SPEC section 4) or OpenAI's (section 10). */
export type ErrorStyle = 'inferq' | 'openai';

/** The renderer of a style, for adapters that pick one per route. */
export function renderError(
  style: ErrorStyle,
  err: unknown,
  errorId: string,
): ErrorResponse<ErrorBody | OpenAIErrorBody> {
  return style === 'openai' ? toOpenAIErrorResponse(err, errorId) : toErrorResponse(err, errorId);
}
