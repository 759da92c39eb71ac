import { z } from 'zod';
import { JobRequest, Role } from './job-request.schema';
import { DEFAULT_MAX_BODY_BYTES, LIMITS } from './limits';
import { safeText } from './text';

/**
 * The size caps of a deployment, all from one setting (MAX_BODY_BYTES): a
 * message or prompt may fill the whole body, so long-context prompts fit and
 * there is no second, smaller cap to trip over. POST /v1/jobs, the
 * OpenAI-compatible routes and batch lines all apply the same limits.
 */
export interface PayloadLimits {
  /** Largest request body (bytes, as sent); for a batch line, its `body`. */
  maxBodyBytes: number;
  /** Largest message content (characters). */
  messageChars: number;
  /** Largest `prompt` (characters). */
  promptChars: number;
  /** Most messages in one request. */
  messages: number;
}

/**
 * The caps that follow from a body limit. A JSON string never has more
 * characters than the bytes that encode it, so capping at the body size
 * refuses nothing a body could carry; it matters where text arrives by
 * another way (batch files, where a line may be larger than a body).
 */
export function payloadLimits(maxBodyBytes: number): PayloadLimits {
  return { maxBodyBytes, messageChars: maxBodyBytes, promptChars: maxBodyBytes, messages: LIMITS.messages };
}

export const DEFAULT_PAYLOAD_LIMITS: PayloadLimits = payloadLimits(DEFAULT_MAX_BODY_BYTES);

/** Whether a body (a JSON text, or its bytes) is over the limit: the 413 rule, for bodies read some other way. */
export function overBodyLimit(body: string | Uint8Array, limits: PayloadLimits): boolean {
  const bytes = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  return bytes > limits.maxBodyBytes;
}

/** One chat message, capped by the limits (the chat route and batch lines validate with it). */
export function messageSchema(limits: PayloadLimits) {
  return z.strictObject({ role: Role, content: safeText(limits.messageChars) });
}

/** `input` of a job: messages or a prompt, capped by the limits. */
export function jobInputSchema(limits: PayloadLimits) {
  return z.union([
    z.strictObject({ messages: z.array(messageSchema(limits)).min(1).max(limits.messages) }),
    z.strictObject({ prompt: safeText(limits.promptChars).min(1) }),
  ]);
}

/** The body of POST /v1/jobs under a deployment's limits: JobRequest with its input capped by them. */
export function jobRequestSchema(limits: PayloadLimits) {
  return JobRequest.extend({ input: jobInputSchema(limits) });
}
