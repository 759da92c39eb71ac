import type { JobRecord } from './index';
import {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  chatCompletionFromRecord,
  chatRequestToJob,
  finishChunk,
  ModelNotFoundError,
  OpenAIErrorBody,
  priorityOfServiceTier,
  QueueFullError,
  roleChunk,
  tokenChunk,
  toOpenAIErrorResponse,
  usageChunk,
  ValidationError,
} from './index';

const parse = (body: Record<string, unknown>) =>
  ChatCompletionRequest.parse({ model: 'sim/echo', messages: [{ role: 'user', content: 'hi' }], ...body });

describe('chatRequestToJob', () => {
  it('maps every served field onto the job', () => {
    const job = chatRequestToJob(
      parse({
        messages: [
          { role: 'developer', content: 'be brief' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'a ' },
              { type: 'text', text: 'b' },
            ],
          },
          { role: 'assistant', content: null },
        ],
        temperature: 0.2,
        top_p: 0.9,
        max_tokens: 10,
        max_completion_tokens: 20,
        stop: '\n',
        seed: 7,
        user: 'u-1',
        metadata: { app: 'x' },
        service_tier: 'flex',
        stream: true,
      }),
    );
    expect(job).toEqual({
      model: 'sim/echo',
      input: {
        messages: [
          { role: 'system', content: 'be brief' },
          { role: 'user', content: 'a b' },
          { role: 'assistant', content: '' },
        ],
      },
      params: { temperature: 0.2, top_p: 0.9, max_tokens: 20, stop: '\n', seed: 7 },
      priority: 'low',
      metadata: { app: 'x', user: 'u-1' },
      timeout_s: 600,
      max_attempts: 3,
      cache: false,
    });
  });

  it('leaves out params and metadata that are absent or null', () => {
    const job = chatRequestToJob(parse({ temperature: null, stop: null, metadata: null, frequency_penalty: 1 }));
    expect(job).not.toHaveProperty('params');
    expect(job).not.toHaveProperty('metadata');
  });

  it('maps service_tier to priority', () => {
    const tiers = ['priority', 'default', 'auto', 'scale', 'flex', null, undefined] as const;
    expect(tiers.map((t) => priorityOfServiceTier(t))).toEqual([
      'high',
      'normal',
      'normal',
      'normal',
      'low',
      'normal',
      'normal',
    ]);
  });

  it('answers model_not_found for an id that names no provider/model', () => {
    expect(() => chatRequestToJob(parse({ model: 'gpt-4o' }))).toThrow(ModelNotFoundError);
  });

  it('names the chat field when the job would be invalid', () => {
    const metadata = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, 'v']));
    const err = (() => {
      try {
        return chatRequestToJob(parse({ metadata, user: 'one too many' }));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).details?.[0]?.path).toBe('metadata');
  });
});

describe('refusals', () => {
  it.each([
    [{ n: 3 }, ['n']],
    [{ tools: [{}] }, ['tools']],
    [
      { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }] },
      ['messages', 0, 'content', 0],
    ],
    [{ messages: [{ role: 'user', content: [{ type: 'text' }] }] }, ['messages', 0, 'content', 0, 'text']],
    [{ messages: [{ role: 'user' }] }, ['messages', 0, 'content']],
    [{ messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'c' }] }] }, ['messages', 0, 'tool_calls']],
    [{ logprobs: true }, ['logprobs']],
  ])('%j is refused at %j', (body, path) => {
    const r = ChatCompletionRequest.safeParse({
      model: 'sim/echo',
      messages: [{ role: 'user', content: 'hi' }],
      ...body,
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(path);
  });

  it('lets n=1, empty tools and tool_choice none through', () => {
    expect(
      parse({ n: 1, tools: [], tool_choice: 'none', modalities: ['text'], response_format: { type: 'text' } }),
    ).toBeTruthy();
  });
});

const record: JobRecord = {
  id: 'job_01JABCDEFGHJKMNPQRSTVWXYZ0',
  status: 'succeeded',
  model: 'sim/echo',
  created_at: '2025-01-01T12:00:00.500Z',
  started_at: '2025-01-01T12:00:01.000Z',
  completed_at: '2025-01-01T12:00:02.000Z',
  attempts: 1,
  output: { text: 'hello', finish_reason: 'length' },
  usage: { input_tokens: 3, output_tokens: 1 },
  error: null,
  timings: { queue_ms: 1, run_ms: 2, ttft_ms: 3 },
  metadata: null,
  webhook: null,
};

describe('chatCompletionFromRecord', () => {
  it('builds the chat.completion of a record, created from the job by default', () => {
    const c = chatCompletionFromRecord(record);
    expect(ChatCompletion.parse(c)).toEqual(c);
    expect(c).toMatchObject({ id: 'chatcmpl-01JABCDEFGHJKMNPQRSTVWXYZ0', created: 1735732800, model: 'sim/echo' });
    expect(c.choices[0]).toMatchObject({ message: { content: 'hello' }, finish_reason: 'length' });
    expect(c.usage).toEqual({ prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 });
    expect(chatCompletionFromRecord(record, 42).created).toBe(42);
  });

  it('gives content null for a record without output', () => {
    const c = chatCompletionFromRecord({ ...record, status: 'failed', output: null, usage: null });
    expect(c.choices[0]).toMatchObject({ message: { content: null }, finish_reason: 'stop' });
    expect(c.usage.total_tokens).toBe(0);
  });
});

describe('chunks', () => {
  const base = { id: 'chatcmpl-x', created: 1, model: 'sim/echo', includeUsage: true };
  it('carry usage: null with include_usage, and the usage chunk has no choices', () => {
    const all = [roleChunk(base), tokenChunk(base, 'hi'), finishChunk(base, 'stop'), usageChunk(base, record.usage)];
    for (const c of all) ChatCompletionChunk.parse(c);
    expect(all.slice(0, 3).map((c) => c.usage)).toEqual([null, null, null]);
    expect(all[3]).toMatchObject({ choices: [], usage: { total_tokens: 4 } });
    expect(roleChunk({ ...base, includeUsage: false })).not.toHaveProperty('usage');
  });
});

describe('toOpenAIErrorResponse', () => {
  it('renders the same status and headers in OpenAI shape, param in its notation', () => {
    const v = toOpenAIErrorResponse(
      new ValidationError('bad', [{ path: 'messages.0.content.12', message: 'x' }]),
      'id',
    );
    expect(v).toEqual({
      status: 400,
      headers: {},
      body: {
        error: {
          message: 'bad',
          type: 'invalid_request_error',
          param: 'messages.[0].content.[12]',
          code: 'validation_error',
        },
      },
    });
    const q = toOpenAIErrorResponse(new QueueFullError('full', 5), 'id');
    expect(q).toMatchObject({
      status: 429,
      headers: { 'Retry-After': '5' },
      body: { error: { type: 'requests', param: null } },
    });
    const boom = toOpenAIErrorResponse(new Error('secret'), 'id-1');
    expect(OpenAIErrorBody.parse(boom.body).error).toMatchObject({
      code: 'internal_error',
      type: 'server_error',
    });
    expect(JSON.stringify(boom)).not.toContain('secret');
  });
});
