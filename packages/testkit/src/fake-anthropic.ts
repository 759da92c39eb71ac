import { randomBytes } from 'node:crypto';
import { startFakeServer } from './fake-server';
import type { FakeProvider, FakeProviderOptions } from './fake-provider.types';
import { inputWords, lastUserText, numberField, stopList } from './message-text';
import type { AnswerContext, ProviderProtocol } from './provider-protocol';
import { planReply } from './reply-plan';
import { pace, sendJson, startSse, writeSse } from './sse';

/** Anthropic's error `type` for a status. */
function errorType(status: number): string {
  switch (status) {
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 529:
      return 'overloaded_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

async function answer(ctx: AnswerContext): Promise<void> {
  const { body, res, signal } = ctx;
  const plan = planReply(
    ctx.text ?? lastUserText(body),
    inputWords(body),
    numberField(body.max_tokens),
    stopList(body.stop_sequences),
  );
  const stopReason = plan.finish === 'length' ? 'max_tokens' : plan.stopSequence ? 'stop_sequence' : 'end_turn';
  const message = {
    id: `msg_${randomBytes(12).toString('hex')}`,
    type: 'message',
    role: 'assistant',
    model: typeof body.model === 'string' ? body.model : 'unknown',
    stop_details: null,
    container: null,
  };
  const usage = (output: number): object => ({
    input_tokens: plan.inputTokens,
    output_tokens: output,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    service_tier: 'standard',
  });
  const headers = { 'request-id': `req_${randomBytes(12).toString('hex')}` };

  if (body.stream !== true) {
    await pace(plan.tokens, ctx.ttftMs, ctx.tokenMs, signal, () => undefined);
    sendJson(
      res,
      200,
      {
        ...message,
        content: [{ type: 'text', text: plan.tokens.join(''), citations: null }],
        stop_reason: stopReason,
        stop_sequence: plan.stopSequence,
        usage: usage(plan.outputTokens),
      },
      headers,
    );
    return;
  }

  startSse(res, headers);
  const send = (type: string, data: object): void => writeSse(res, { type, ...data }, type);
  send('message_start', {
    message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: usage(1) },
  });
  send('content_block_start', { index: 0, content_block: { type: 'text', text: '', citations: null } });
  send('ping', {});
  await pace(plan.tokens, ctx.ttftMs, ctx.tokenMs, signal, (text) =>
    send('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }),
  );
  send('content_block_stop', { index: 0 });
  send('message_delta', {
    delta: { stop_reason: stopReason, stop_sequence: plan.stopSequence, stop_details: null, container: null },
    usage: { output_tokens: plan.outputTokens, input_tokens: plan.inputTokens },
  });
  send('message_stop', {});
  res.end();
}

const anthropicProtocol: ProviderProtocol = {
  // The Anthropic SDK appends /v1/messages to its baseURL itself.
  basePath: '',
  isCompletion: (method, path) => method === 'POST' && path === '/v1/messages',
  errorBody: (status, message) => ({
    type: 'error',
    error: { type: errorType(status), message },
    request_id: `req_${randomBytes(12).toString('hex')}`,
  }),
  answer,
};

/** A local server speaking Anthropic's Messages protocol; give `url` to the SDK as baseURL. */
export function startFakeAnthropic(opts?: FakeProviderOptions): Promise<FakeProvider> {
  return startFakeServer(anthropicProtocol, opts);
}
