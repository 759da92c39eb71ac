import type { FinishReason, JobParams, Message } from '@inferq/core';
import type Anthropic from '@anthropic-ai/sdk';
import { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
import type { MessageCreateParamsStreaming, MessageParam, StopReason } from '@anthropic-ai/sdk/resources/messages';
import type { Backend, GenerateOptions, GenerateRequest, GenerateResult } from './backend.types';
import { classifyProviderError, type ProviderErrorView } from './classify-error';
import { callProvider, DEFAULT_DEADLINE_MS } from './provider-call';

/** Anthropic requires max_tokens; this is what a job without one gets. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 1024;

function finishReason(reason: StopReason | null): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'other'; // pause_turn, a missing message_delta, or a reason newer than this SDK
  }
}

/**
 * System messages go to the top-level `system` field, which every API version
 * accepts. temperature, top_p and seed are not sent: the Messages API version
 * this SDK speaks (2026-10-21) has no sampling parameters and never had seed.
 */
export function toAnthropicParams(model: string, messages: Message[], params: JobParams): MessageCreateParamsStreaming {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content);
  const turns: MessageParam[] = [];
  for (const m of messages) {
    if (m.role !== 'system') turns.push({ role: m.role, content: m.content });
  }
  const out: MessageCreateParamsStreaming = {
    model,
    messages: turns,
    max_tokens: params.max_tokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    stream: true,
  };
  if (system.length) out.system = system.join('\n\n');
  if (params.stop !== undefined) out.stop_sequences = typeof params.stop === 'string' ? [params.stop] : params.stop;
  return out;
}

export function describeAnthropicError(err: unknown): ProviderErrorView {
  if (!(err instanceof APIError)) return { timeout: false, connection: false };
  return {
    // The SDK's `instanceof` narrowing leaves these two `any`.
    status: err.status as number | undefined,
    headers: err.headers as ProviderErrorView['headers'],
    streamErrorType: err.status === undefined && err.type ? err.type : undefined,
    timeout: err instanceof APIConnectionTimeoutError,
    connection: err instanceof APIConnectionError,
  };
}

/** The Messages API over the official SDK, streamed. */
export class AnthropicBackend implements Backend {
  readonly kind = 'anthropic';

  /** @param deadlineMs the whole call's own limit; see OpenAIBackend. */
  constructor(
    private readonly client: Anthropic,
    private readonly deadlineMs = DEFAULT_DEADLINE_MS,
  ) {}

  generate(req: GenerateRequest, opts: GenerateOptions): Promise<GenerateResult> {
    const classify = (err: unknown) => classifyProviderError(this.kind, err, describeAnthropicError(err));
    return callProvider(opts, this.deadlineMs, classify, async ({ signal, emit }) => {
      const stream = await this.client.messages.create(toAnthropicParams(req.model, req.messages, req.params), {
        signal,
      });
      let text = '';
      let stop: StopReason | null = null;
      let input = 0;
      let output = 0;
      for await (const event of stream) {
        switch (event.type) {
          case 'message_start':
            input = event.message.usage.input_tokens;
            output = event.message.usage.output_tokens;
            break;
          case 'content_block_delta':
            if (event.delta.type === 'text_delta') {
              text += event.delta.text;
              emit(event.delta.text);
            }
            break;
          case 'message_delta':
            // message_delta usage is cumulative; input_tokens may be null when unchanged.
            if (event.usage.input_tokens != null) input = event.usage.input_tokens;
            output = event.usage.output_tokens;
            stop = event.delta.stop_reason;
            break;
          default:
            break;
        }
      }
      return { text, finishReason: finishReason(stop), usage: { input_tokens: input, output_tokens: output } };
    });
  }
}
