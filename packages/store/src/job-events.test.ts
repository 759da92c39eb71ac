import { compareStreamIds, eventsOfEntry } from './job-events';

it('orders stream ids by time, then sequence, past 2^53', () => {
  expect(compareStreamIds('1-2', '1-10')).toBeLessThan(0);
  expect(compareStreamIds('2-0', '1-99')).toBeGreaterThan(0);
  expect(compareStreamIds('5-18446744073709551615', '5-18446744073709551614')).toBeGreaterThan(0);
  expect(compareStreamIds('5-3', '5-3')).toBe(0);
});

describe('eventsOfEntry', () => {
  it('reads a status or token entry as the one event it is', () => {
    expect(eventsOfEntry(['7-0', ['type', 'status', 'data', '{"status":"running"}']])).toEqual([
      { id: '7-0', type: 'status', data: '{"status":"running"}' },
    ]);
    expect(eventsOfEntry(['7-1', ['type', 'token', 'data', '{"text":"hi"}']])).toEqual([
      { id: '7-1', type: 'token', data: '{"text":"hi"}' },
    ]);
  });

  it('reads the terminal entry as its status, then done one sequence number above', () => {
    expect(eventsOfEntry(['7-2', ['type', 'done', 'data', '{"status":"succeeded"}']])).toEqual([
      { id: '7-2', type: 'status', data: '{"status":"succeeded"}' },
      { id: '7-3', type: 'done', data: '' },
    ]);
    // Sequence numbers are 64-bit: the next one is exact past 2^53.
    expect(eventsOfEntry(['7-9007199254740993', ['type', 'done', 'data', '{"status":"failed"}']])[1]?.id).toBe(
      '7-9007199254740994',
    );
  });

  it('reads the last tokens riding with the terminal entry as a token event before the status', () => {
    expect(
      eventsOfEntry(['7-2', ['type', 'done', 'data', '{"status":"succeeded"}', 'tokens', '{"text":"!"}']]),
    ).toEqual([
      { id: '7-2', type: 'token', data: '{"text":"!"}' },
      { id: '7-3', type: 'status', data: '{"status":"succeeded"}' },
      { id: '7-4', type: 'done', data: '' },
    ]);
  });

  it('reads a done entry without data (the shape before, still written by older workers) as done alone', () => {
    expect(eventsOfEntry(['7-4', ['type', 'done', 'data', '']])).toEqual([{ id: '7-4', type: 'done', data: '' }]);
  });
});
