import { randomBytes } from 'node:crypto';
import { startFakeServer } from './fake-server';
import type { FakeProvider, FakeProviderOptions } from './fake-provider.types';
import { inputWords, lastUserText, numberField, stopList } from './message-text';
import type { AnswerContext, ProviderProtocol } from './provider-protocol';
import { planReply, type ReplyPlan } from './reply-plan';
import { pace, sendJson, startSse, writeSse } from './sse';

/** OpenAI's error `type` and `code` for common statuses. */
function errorKind(status: number): { type: string; code: string | null } {
  if (status === 401) return { type: 'invalid_request_error', code: 'invalid_api_key' };
  if (status === 403) return { type: 'invalid_request_error', code: 'unsupported_country_region_territory' };
  if (status === 404) return { type: 'invalid_request_error', code: 'model_not_found' };
  if (status === 429) return { type: 'requests', code: 'rate_limit_exceeded' };
  if (status >= 500) return { type: 'server_error', code: null };
  return { type: 'invalid_request_error', code: null };
}

function usageOf(plan: ReplyPlan): object {
  return {
    prompt_tokens: plan.inputTokens,
    completion_tokens: plan.outputTokens,
    total_tokens: plan.inputTokens + plan.outputTokens,
  };
}

async function answer(ctx: AnswerContext): Promise<void> {
  const { body, res, signal } = ctx;
  const maxTokens = numberField(body.max_completion_tokens) ?? numberField(body.max_tokens);
  const plan = planReply(ctx.text ?? lastUserText(body), inputWords(body), maxTokens, stopList(body.stop));
  const base = {
    id: `chatcmpl-${randomBytes(12).toString('hex')}`,
    created: Math.floor(Date.now() / 1000),
    model: typeof body.model === 'string' ? body.model : 'unknown',
    system_fingerprint: 'fp_fake',
  };
  const headers = { 'x-request-id': `req_${randomBytes(8).toString('hex')}`, 'openai-processing-ms': '1' };

  if (body.stream !== true) {
    await pace(plan.tokens, ctx.ttftMs, ctx.tokenMs, signal, () => undefined);
    sendJson(
      res,
      200,
      {
        ...base,
        object: 'chat.completion',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: plan.tokens.join(''), refusal: null, annotations: [] },
            logprobs: null,
            finish_reason: plan.finish,
          },
        ],
        usage: usageOf(plan),
        service_tier: 'default',
      },
      headers,
    );
    return;
  }

  const options = typeof body.stream_options === 'object' && body.stream_options !== null ? body.stream_options : {};
  const includeUsage = 'include_usage' in options && options.include_usage === true;
  // With include_usage, OpenAI puts `usage: null` on every chunk but the last.
  const chunk = (delta: object, finish: string | null): object => ({
    ...base,
    object: 'chat.completion.chunk',
    service_tier: 'default',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(includeUsage ? { usage: null } : {}),
  });

  startSse(res, headers);
  writeSse(res, chunk({ role: 'assistant', content: '', refusal: null }, null));
  await pace(plan.tokens, ctx.ttftMs, ctx.tokenMs, signal, (t) => writeSse(res, chunk({ content: t }, null)));
  writeSse(res, chunk({}, plan.finish));
  if (includeUsage) {
    writeSse(res, {
      ...base,
      object: 'chat.completion.chunk',
      service_tier: 'default',
      choices: [],
      usage: usageOf(plan),
    });
  }
  writeSse(res, '[DONE]');
  res.end();
}

const openaiProtocol: ProviderProtocol = {
  basePath: '/v1',
  isCompletion: (method, path) => method === 'POST' && path === '/v1/chat/completions',
  errorBody: (status, message) => ({ error: { message, ...errorKind(status), param: null } }),
  answer,
};

/** A local server speaking OpenAI's Chat Completions protocol; give `url` to the SDK as baseURL. */
export function startFakeOpenAI(opts?: FakeProviderOptions): Promise<FakeProvider> {
  return startFakeServer(openaiProtocol, opts);
}
