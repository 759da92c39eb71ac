import { startFakeOpenAI } from './fake-openai';
import type { FakeProvider } from './fake-provider.types';
import { parseSse } from './parse-sse';

const post = (url: string, body: object, signal?: AbortSignal): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });

describe('fake OpenAI', () => {
  let fake: FakeProvider;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  const body = {
    model: 'gpt-x',
    messages: [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hello there  world' },
    ],
  };

  it('streams well-formed chat.completion.chunk SSE ending in [DONE] with a usage chunk', async () => {
    const res = await post(`${fake.url}/chat/completions`, {
      ...body,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseSse(await res.text());
    expect(events.every((e) => e.event === undefined)).toBe(true);
    expect(events[events.length - 1].data).toBe('[DONE]');
    type Chunk = { object: string; choices: Array<{ delta: { content?: string } }> };
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data) as Chunk);
    for (const c of chunks) expect(c).toMatchObject({ object: 'chat.completion.chunk', model: 'gpt-x' });
    const text = chunks.flatMap((c) => c.choices.map((ch) => ch.delta.content ?? '')).join('');
    expect(text).toBe('hello there  world');
    expect(chunks[chunks.length - 2]).toMatchObject({ choices: [{ finish_reason: 'stop' }] });
    expect(chunks[chunks.length - 1]).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
    });
  });

  it('answers plain JSON without stream, cut at max_tokens', async () => {
    const res = await post(`${fake.url}/chat/completions`, { ...body, max_tokens: 2 });
    expect(await res.json()).toMatchObject({
      object: 'chat.completion',
      choices: [{ message: { role: 'assistant', content: 'hello there  ' }, finish_reason: 'length' }],
      usage: { completion_tokens: 2 },
    });
  });

  it('plays scripted statuses in order, then the default', async () => {
    fake.script({ kind: 'status', status: 429, retryAfter: '2' }, { kind: 'text', text: 'fixed answer' });
    const first = await post(`${fake.url}/chat/completions`, body);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('2');
    expect(await first.json()).toMatchObject({ error: { type: 'requests', code: 'rate_limit_exceeded' } });
    const second = await post(`${fake.url}/chat/completions`, body);
    expect(await second.json()).toMatchObject({ choices: [{ message: { content: 'fixed answer' } }] });
    const third = await post(`${fake.url}/chat/completions`, body);
    expect(await third.json()).toMatchObject({ choices: [{ message: { content: 'hello there  world' } }] });
    expect(fake.requests.map((r) => r.path)).toEqual(Array(3).fill('/v1/chat/completions'));
  });

  it('records a client abort on a hanging request', async () => {
    fake.script({ kind: 'hang' });
    const ac = new AbortController();
    const pending = post(`${fake.url}/chat/completions`, body, ac.signal);
    const [req] = await fake.waitForRequests(1);
    ac.abort();
    await expect(pending).rejects.toThrow();
    for (let i = 0; i < 100 && !req.aborted; i++) await new Promise((r) => setTimeout(r, 10));
    expect(req.aborted).toBe(true);
  });

  it('resets the socket', async () => {
    fake.script({ kind: 'reset' });
    await expect(post(`${fake.url}/chat/completions`, body)).rejects.toThrow();
    expect(fake.requests[0].aborted).toBe(false);
  });

  it('answers unknown routes with a 404 error body', async () => {
    const res = await post(`${fake.url}/embeddings`, {});
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });
});
