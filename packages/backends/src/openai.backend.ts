import type { FinishReason, JobParams, Usage } from '@inferq/core';
import type OpenAI from 'openai';
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { Backend, GenerateOptions, GenerateRequest, GenerateResult } from './backend.types';
import { classifyProviderError, type ProviderErrorView } from './classify-error';
import { callProvider, DEFAULT_DEADLINE_MS } from './provider-call';

type ChunkFinish = ChatCompletionChunk.Choice['finish_reason'];

function finishReason(reason: ChunkFinish | undefined): FinishReason {
  switch (reason) {
    case 'stop':
    case 'length':
    case 'content_filter':
    case 'tool_calls':
      return reason;
    case 'function_call':
      return 'tool_calls';
    default:
      return 'other'; // the stream ended without one, or a server sent something new
  }
}

/** `max_tokens`, not `max_completion_tokens`: vLLM, llama.cpp and older servers only know the former. */
function sampling(params: JobParams): Partial<ChatCompletionCreateParamsStreaming> {
  const out: Partial<ChatCompletionCreateParamsStreaming> = {};
  if (params.temperature !== undefined) out.temperature = params.temperature;
  if (params.top_p !== undefined) out.top_p = params.top_p;
  if (params.max_tokens !== undefined) out.max_tokens = params.max_tokens;
  if (params.stop !== undefined) out.stop = params.stop;
  if (params.seed !== undefined) out.seed = params.seed;
  return out;
}

export function describeOpenAIError(err: unknown): ProviderErrorView {
  if (!(err instanceof APIError)) return { timeout: false, connection: false };
  const streamType = err.status === undefined && typeof err.type === 'string' ? err.type : undefined;
  return {
    // The SDK's `instanceof` narrowing leaves these two `any`.
    status: err.status as number | undefined,
    headers: err.headers as ProviderErrorView['headers'],
    streamErrorType: streamType ?? (err.status === undefined && err.code ? err.code : undefined),
    timeout: err instanceof APIConnectionTimeoutError,
    connection: err instanceof APIConnectionError,
  };
}

/** Chat Completions over the official SDK: OpenAI itself and every OpenAI-compatible server. */
export class OpenAIBackend implements Backend {
  /**
   * @param deadlineMs the whole call's own limit, generous on purpose: the
   *   job's timeout arrives through the caller's signal.
   */
  constructor(
    private readonly client: OpenAI,
    readonly kind: 'openai' | 'openai-compatible' = 'openai',
    private readonly deadlineMs = DEFAULT_DEADLINE_MS,
  ) {}

  generate(req: GenerateRequest, opts: GenerateOptions): Promise<GenerateResult> {
    const classify = (err: unknown) => classifyProviderError(this.kind, err, describeOpenAIError(err));
    return callProvider(opts, this.deadlineMs, classify, async ({ signal, emit }) => {
      const stream = await this.client.chat.completions.create(
        {
          ...sampling(req.params),
          model: req.model,
          messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
          stream: true,
          stream_options: { include_usage: true },
        },
        { signal },
      );
      let text = '';
      let finish: ChunkFinish | undefined;
      // No usage chunk (some compatible servers ignore include_usage): report 0s rather than guess.
      let usage: Usage = { input_tokens: 0, output_tokens: 0 };
      for await (const chunk of stream) {
        if (chunk.usage)
          usage = { input_tokens: chunk.usage.prompt_tokens, output_tokens: chunk.usage.completion_tokens };
        const choice = chunk.choices[0];
        if (!choice) continue; // the usage chunk has no choices
        const delta = choice.delta?.content;
        if (delta) {
          text += delta;
          emit(delta);
        }
        if (choice.finish_reason) finish = choice.finish_reason;
      }
      return { text, finishReason: finishReason(finish), usage };
    });
  }
}
