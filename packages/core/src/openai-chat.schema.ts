import { z } from 'zod';
import { JobParams, Metadata } from './job-request.schema';
import { LIMITS } from './limits';
import { safeText } from './text';

/**
 * The body of POST /v1/chat/completions (SPEC section 10), as OpenAI's SDKs
 * send it. Unknown fields are dropped, as OpenAI ignores them; known fields
 * that inferq cannot honour (n > 1, tools, images, audio, ...) are accepted by
 * shape only to be refused by name, so `param` of the 400 names them. Ranges
 * are the job's own (JobParams), so a parsed body always makes a valid job.
 * Most fields may be null, as OpenAI allows.
 */
const ChatRole = z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

/** One part of an array content; only `text` parts are served. */
const ContentPart = z.object({ type: z.string().max(64), text: safeText(LIMITS.messageChars).optional() });

const ChatMessage = z.object({
  role: ChatRole,
  content: z.union([safeText(LIMITS.messageChars), z.array(ContentPart).max(LIMITS.messages)]).nullish(),
  tool_calls: z.array(z.unknown()).nullish(),
  function_call: z.unknown().optional(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

type Refuse = (path: PropertyKey[], message: string) => void;

const PART_REFUSALS: Record<string, string> = {
  image_url: 'images are not supported',
  input_audio: 'audio input is not supported',
  file: 'files are not supported',
};

function refuseMessage(m: ChatMessage, i: number, refuse: Refuse): void {
  if (m.role === 'tool' || m.role === 'function')
    refuse(['messages', i, 'role'], `${m.role} messages are not supported`);
  if (m.tool_calls?.length || m.function_call != null)
    refuse(['messages', i, 'tool_calls'], 'tool calls are not supported');
  if (m.content == null && m.role !== 'assistant') refuse(['messages', i, 'content'], 'is required');
  if (!Array.isArray(m.content)) return;
  let chars = 0;
  m.content.forEach((part, j) => {
    if (part.type !== 'text') {
      refuse(['messages', i, 'content', j], PART_REFUSALS[part.type] ?? `"${part.type}" parts are not supported`);
    } else if (part.text === undefined) refuse(['messages', i, 'content', j, 'text'], 'is required');
    chars += part.text?.length ?? 0;
  });
  if (chars > LIMITS.messageChars) refuse(['messages', i, 'content'], `at most ${LIMITS.messageChars} characters`);
}

export const ChatCompletionRequest = z
  .object({
    model: z.string().min(1).max(LIMITS.modelIdChars),
    messages: z.array(ChatMessage).min(1).max(LIMITS.messages),
    temperature: JobParams.shape.temperature.unwrap().nullish(),
    top_p: JobParams.shape.top_p.unwrap().nullish(),
    max_tokens: JobParams.shape.max_tokens.unwrap().nullish(),
    /** OpenAI's newer name for max_tokens; wins when both are given. */
    max_completion_tokens: JobParams.shape.max_tokens.unwrap().nullish(),
    stop: JobParams.shape.stop.unwrap().nullish(),
    seed: JobParams.shape.seed.unwrap().nullish(),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
    /** Kept as the job's `metadata.user`. */
    user: safeText(LIMITS.metadataValueChars).nullish(),
    metadata: Metadata.nullish(),
    /** `priority` -> high, `flex` -> low, anything else normal (SPEC section 9). */
    service_tier: z.enum(['auto', 'default', 'flex', 'priority', 'scale']).nullish(),
    n: z.number().int().nullish(),
    tools: z.array(z.unknown()).nullish(),
    functions: z.array(z.unknown()).nullish(),
    tool_choice: z.unknown().optional(),
    function_call: z.unknown().optional(),
    audio: z.unknown().optional(),
    modalities: z.array(z.string().max(32)).max(8).nullish(),
    response_format: z.object({ type: z.string().max(64) }).nullish(),
    logprobs: z.boolean().nullish(),
  })
  .superRefine((req, ctx) => {
    const refuse: Refuse = (path, message) => ctx.addIssue({ code: 'custom', path, message });
    if (req.n != null && req.n !== 1) refuse(['n'], 'only n=1 is supported');
    if (req.tools?.length) refuse(['tools'], 'tools are not supported');
    if (req.functions?.length) refuse(['functions'], 'functions are not supported');
    if (req.tool_choice != null && req.tool_choice !== 'none') refuse(['tool_choice'], 'tools are not supported');
    if (req.function_call != null && req.function_call !== 'none') refuse(['function_call'], 'not supported');
    if (req.audio != null) refuse(['audio'], 'audio output is not supported');
    if (req.modalities?.includes('audio')) refuse(['modalities'], 'audio output is not supported');
    if (req.response_format && req.response_format.type !== 'text') {
      refuse(['response_format'], 'only text responses are supported');
    }
    if (req.logprobs) refuse(['logprobs'], 'logprobs are not supported');
    req.messages.forEach((m, i) => refuseMessage(m, i, refuse));
  });
export type ChatCompletionRequest = z.output<typeof ChatCompletionRequest>;
export type ChatCompletionRequestInput = z.input<typeof ChatCompletionRequest>;

export const ChatFinishReason = z.enum(['stop', 'length', 'content_filter', 'tool_calls']);
export type ChatFinishReason = z.infer<typeof ChatFinishReason>;

export const ChatUsage = z.object({
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  total_tokens: z.number().int(),
});
export type ChatUsage = z.infer<typeof ChatUsage>;

/** The answer without `stream`. */
export const ChatCompletion = z.object({
  id: z.string(),
  object: z.literal('chat.completion'),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(
    z.object({
      index: z.number().int(),
      message: z.object({ role: z.literal('assistant'), content: z.string().nullable(), refusal: z.null() }),
      logprobs: z.null(),
      finish_reason: ChatFinishReason,
    }),
  ),
  usage: ChatUsage,
});
export type ChatCompletion = z.infer<typeof ChatCompletion>;

/** One `data:` line of the answer with `stream: true`. */
export const ChatCompletionChunk = z.object({
  id: z.string(),
  object: z.literal('chat.completion.chunk'),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(
    z.object({
      index: z.number().int(),
      delta: z.object({ role: z.literal('assistant').optional(), content: z.string().optional() }),
      logprobs: z.null(),
      finish_reason: ChatFinishReason.nullable(),
    }),
  ),
  /** With `stream_options.include_usage`: null on every chunk but the last, which has no choices. */
  usage: ChatUsage.nullable().optional(),
});
export type ChatCompletionChunk = z.infer<typeof ChatCompletionChunk>;
