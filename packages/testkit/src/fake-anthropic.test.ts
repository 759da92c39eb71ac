import { startFakeAnthropic } from './fake-anthropic';
import { parseSse } from './parse-sse';
import type { FakeProvider } from './fake-provider.types';

describe('fake Anthropic', () => {
  let fake: FakeProvider;
  beforeAll(async () => {
    fake = await startFakeAnthropic();
  });
  afterAll(() => fake.close());

  it('streams the Messages event sequence', async () => {
    const res = await fetch(`${fake.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'claude-x',
        max_tokens: 100,
        stream: true,
        system: 'be brief',
        messages: [{ role: 'user', content: 'one two three' }],
      }),
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseSse(await res.text());
    const names = events.map((e) => e.event);
    expect(names).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const data = events.map((e) => JSON.parse(e.data) as { type: string; delta?: { text?: string } });
    data.forEach((d, i) => expect(d.type).toBe(names[i]));
    expect(data.map((d) => d.delta?.text ?? '').join('')).toBe('one two three');
    expect(data[0]).toMatchObject({ message: { role: 'assistant', model: 'claude-x', usage: { input_tokens: 5 } } });
    expect(data[7]).toMatchObject({ delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 3 } });
  });

  it('answers errors in the Anthropic error shape', async () => {
    fake.script({ kind: 'status', status: 529 });
    const res = await fetch(`${fake.url}/v1/messages`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(529);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
  });
});
