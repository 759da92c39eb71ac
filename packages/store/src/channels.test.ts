import { pushedTokens } from './channels';

const job = 'job_01J0000000000000000000000A_default';
const other = 'job_01J0000000000000000000000B_default';

describe('pushedTokens', () => {
  it('reads the job, the entry before and the entry (the data whole, spaces and all) from a message that carries them', () => {
    const data = '{"text":"a b  7-1 {\\"c\\" "}';
    expect(pushedTokens(`${job} 1700000000000-0 1700000000001-3 ${data}`)).toEqual({
      job,
      prev: '1700000000000-0',
      event: { id: '1700000000001-3', type: 'token', data },
    });
    expect(pushedTokens(`${job} 0-0 5-0 {"text":""}`)?.prev).toBe('0-0');
    // A message of job ids alone, or of any other shape, carries none: the stream is read then.
    expect(pushedTokens(job)).toBeUndefined();
    expect(pushedTokens(`${job} ${other} ${job} ${other}`)).toBeUndefined();
    expect(pushedTokens(`${job} 1-0 2-0`)).toBeUndefined();
    expect(pushedTokens(`${job} 1-0 2-0 text`)).toBeUndefined();
    expect(pushedTokens(`${job} 1-0 x {"text":"t"}`)).toBeUndefined();
  });
});
