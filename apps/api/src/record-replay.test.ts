import type { StoredJob } from '@inferq/store';
import { replayFrames } from './record-replay';

const job = (output: string | null): StoredJob => ({
  tenant: 't1',
  pool: 'default',
  priority: 'normal',
  doneId: '1700000000500-7',
  record: {
    id: 'job_x',
    status: 'succeeded',
    model: 'sim/echo',
    created_at: '2023-11-14T22:13:20.000Z',
    started_at: null,
    completed_at: '2023-11-14T22:13:20.500Z',
    attempts: 1,
    output: output === null ? null : { text: output, finish_reason: 'stop' },
    usage: null,
    error: null,
    timings: { queue_ms: null, run_ms: null, ttft_ms: null },
    metadata: null,
    webhook: null,
  },
});

describe('record replay', () => {
  it('replays status, the output as one token and done, under the recorded done id', () => {
    const frames = replayFrames(job('hello'), undefined);
    expect(frames.map((f) => [f.event, f.id])).toEqual([
      ['status', '1700000000499-0'],
      ['token', '1700000000499-1'],
      ['done', '1700000000500-7'],
    ]);
    expect(frames[1].data).toBe('{"text":"hello"}');
  });

  it('gives a resuming client status and done, and one that saw done nothing', () => {
    expect(replayFrames(job('hello'), '1700000000400-0').map((f) => f.event)).toEqual(['status', 'done']);
    expect(replayFrames(job('hello'), '1700000000500-7')).toEqual([]);
    expect(replayFrames(job(null), undefined).map((f) => f.event)).toEqual(['status', 'done']);
  });
});
