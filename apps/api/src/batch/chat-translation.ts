/**
 * TO BE REPLACED by @inferq/core's openai-chat.ts (issue 14) once it lands:
 * minimal stand-ins with the same names and signatures, so the Batch API can
 * be built meanwhile. Only what a batch line needs is here: the chat request
 * -> JobRequest translation and the `chat.completion` object of a finished job.
 */
import { z } from 'zod';
import type { FinishReason, JobRecord, JobRequestInput, Priority } from '@inferq/core';

const TextPart = z.object({ type: z.literal('text'), text: z.string() });
const Content = z.union([z.string(), z.array(TextPart).min(1)], {
  message: 'must be a string or a list of text parts (images and audio are not supported)',
});
const ChatMessage = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant'], {
    message: 'must be system, developer, user or assistant (tool messages are not supported)',
  }),
  content: Content,
});

/** The OpenAI chat request fields inferq serves; other fields are ignored as OpenAI ignores unknown ones. */
export const ChatCompletionRequest = z.object({
  model: z.string(),
  messages: z.array(ChatMessage).min(1),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  max_tokens: z.number().int().nullish(),
  max_completion_tokens: z.number().int().nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  seed: z.number().int().nullish(),
  n: z.literal(1, { message: 'only n = 1 is supported' }).nullish(),
  stream: z.boolean().nullish(),
  user: z.string().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  service_tier: z.enum(['auto', 'default', 'flex', 'priority']).nullish(),
  tools: z.undefined({ message: 'tools are not supported' }).optional(),
  tool_choice: z.undefined({ message: 'tools are not supported' }).optional(),
  functions: z.undefined({ message: 'functions are not supported' }).optional(),
  function_call: z.undefined({ message: 'functions are not supported' }).optional(),
  audio: z.undefined({ message: 'audio is not supported' }).optional(),
});
export type ChatCompletionRequest = z.output<typeof ChatCompletionRequest>;

const TIER_PRIORITY: Record<string, Priority> = { priority: 'high', flex: 'low' };

/** A chat request as a job request (inferq's own checks, sizes and all, come after). */
export function jobRequestFromChat(body: ChatCompletionRequest): JobRequestInput {
  const messages = body.messages.map((m) => ({
    role: m.role === 'developer' ? ('system' as const) : m.role,
    content: typeof m.content === 'string' ? m.content : m.content.map((p) => p.text).join(''),
  }));
  const params = {
    temperature: body.temperature ?? undefined,
    top_p: body.top_p ?? undefined,
    max_tokens: body.max_completion_tokens ?? body.max_tokens ?? undefined,
    stop: body.stop ?? undefined,
    seed: body.seed ?? undefined,
  };
  const hasParams = Object.values(params).some((v) => v !== undefined);
  return {
    model: body.model,
    input: { messages },
    ...(hasParams ? { params } : {}),
    priority: TIER_PRIORITY[body.service_tier ?? ''] ?? 'normal',
    ...(body.metadata ? { metadata: body.metadata } : {}),
  };
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: { role: 'assistant'; content: string; refusal: null };
    logprobs: null;
    finish_reason: 'stop' | 'length' | 'content_filter' | 'tool_calls';
  }>;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

const FINISH: Record<FinishReason, ChatCompletion['choices'][number]['finish_reason']> = {
  stop: 'stop',
  length: 'length',
  content_filter: 'content_filter',
  tool_calls: 'tool_calls',
  canceled: 'stop',
  other: 'stop',
};

/** The `chat.completion` object of a succeeded job; `created` (Unix s) defaults to the job's completion. */
export function chatCompletionFromRecord(record: JobRecord, created?: number): ChatCompletion {
  const usage = record.usage ?? { input_tokens: 0, output_tokens: 0 };
  const done = record.completed_at ?? record.created_at;
  return {
    id: `chatcmpl-${record.id.slice('job_'.length)}`,
    object: 'chat.completion',
    created: created ?? Math.floor(Date.parse(done) / 1000),
    model: record.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: record.output?.text ?? '', refusal: null },
        logprobs: null,
        finish_reason: FINISH[record.output?.finish_reason ?? 'stop'],
      },
    ],
    usage: {
      prompt_tokens: usage.input_tokens,
      completion_tokens: usage.output_tokens,
      total_tokens: usage.input_tokens + usage.output_tokens,
    },
  };
}
