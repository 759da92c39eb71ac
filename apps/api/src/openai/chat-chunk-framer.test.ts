import type { JobRecord } from '@inferq/core';
import type { JobEvent } from '@inferq/store';
import { ChatChunkFramer } from './chat-chunk-framer';

const JOB = 'job_01JABCDEFGHJKMNPQRSTVWXYZ0';
const base = { id: 'chatcmpl-x', created: 1, model: 'sim/echo', includeUsage: false };
let n = 0;
const token = (text: string): JobEvent => ({ id: `${++n}-0`, type: 'token', data: JSON.stringify({ text }) });
const status = (s: string): JobEvent => ({ id: `${++n}-0`, type: 'status', data: JSON.stringify({ status: s }) });

function record(patch: Partial<JobRecord>): JobRecord {
  return {
    id: JOB,
    status: 'succeeded',
    model: 'sim/echo',
    created_at: '2025-01-01T12:00:00.000Z',
    started_at: null,
    completed_at: null,
    attempts: 1,
    output: { text: 'one two three', finish_reason: 'stop' },
    usage: { input_tokens: 1, output_tokens: 3 },
    error: null,
    timings: { queue_ms: null, run_ms: null, ttft_ms: null },
    metadata: null,
    webhook: null,
    ...patch,
  };
}

/** The `data:` payloads of what the framer wrote, parsed ('[DONE]' kept as is). */
function payloads(text: string): unknown[] {
  return [...text.matchAll(/^data: (.*)$/gm)].map((m) => (m[1] === '[DONE]' ? '[DONE]' : JSON.parse(m[1])));
}
const contents = (text: string): string[] =>
  payloads(text).flatMap((p) => {
    const c = (p as { choices?: Array<{ delta: { content?: string } }> }).choices?.[0]?.delta.content;
    return c ? [c] : [];
  });

describe('ChatChunkFramer', () => {
  it('frames each token event as one chunk, then finish and [DONE]', () => {
    const f = new ChatChunkFramer(base, JOB);
    let out = f.start();
    for (const ev of [status('running'), token('one '), token('two '), token('three')]) out += f.event(ev);
    out += f.done(record({}));
    expect(contents(out)).toEqual(['one ', 'two ', 'three']);
    expect(payloads(out).slice(-2)).toEqual([
      expect.objectContaining({ choices: [expect.objectContaining({ finish_reason: 'stop' })] }),
      '[DONE]',
    ]);
    expect(f.finished).toBe(true);
  });

  it('never sends text twice when the job is retried after streaming began', () => {
    const f = new ChatChunkFramer(base, JOB);
    let out = '';
    for (const ev of [
      token('one '),
      token('two '),
      status('queued'),
      status('running'),
      token('one '),
      token('two three'),
    ]) {
      out += f.event(ev);
    }
    out += f.done(record({}));
    expect(contents(out)).toEqual(['one ', 'two ', 'three']);
    expect(payloads(out).at(-1)).toBe('[DONE]');
  });

  it('ends with an error when a retry wrote different text', () => {
    const f = new ChatChunkFramer(base, JOB);
    let out = '';
    for (const ev of [token('one '), status('queued'), token('uno dos')]) out += f.event(ev);
    out += f.done(record({ output: { text: 'uno dos', finish_reason: 'stop' } }));
    expect(contents(out)).toEqual(['one ']);
    expect(payloads(out).at(-1)).toMatchObject({ error: { code: 'conflict', message: expect.stringContaining(JOB) } });
  });

  it('sends the whole text at the end when no tokens came (a cached answer)', () => {
    const f = new ChatChunkFramer({ ...base, includeUsage: true }, JOB);
    const out = f.done(record({ cached: true }));
    expect(contents(out)).toEqual(['one two three']);
    expect(payloads(out).at(-2)).toMatchObject({ choices: [], usage: { total_tokens: 4 } });
  });

  it('ends a failed or canceled job with an error line', () => {
    const failed = record({
      status: 'failed',
      output: null,
      error: { code: 'provider_rejected', message: 'too long', retryable: false },
    });
    expect(payloads(new ChatChunkFramer(base, JOB).done(failed))).toEqual([
      { error: expect.objectContaining({ code: 'job_failed', type: 'invalid_request_error' }) },
    ]);
    const canceled = new ChatChunkFramer(base, JOB).done(record({ status: 'canceled', output: null }));
    expect(payloads(canceled)).toEqual([{ error: expect.objectContaining({ code: 'conflict' }) }]);
  });
});
