import { JOB_ID_PATTERN, jobIdTime, jobPool, newJobId } from './ids';

describe('job ids', () => {
  it('are well-formed, name their pool and time, and sort by creation', () => {
    const before = Date.now();
    const ids = Array.from({ length: 5000 }, () => newJobId('gpu-a'));
    for (const id of ids) expect(id).toMatch(JOB_ID_PATTERN);
    expect(jobPool(ids[0])).toBe('gpu-a');
    expect(jobIdTime(ids[0])).toBeGreaterThanOrEqual(before);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('spread their random part over the whole alphabet (pooled random bytes, refilled)', () => {
    // An id of a new millisecond draws 16 fresh random characters (a later one in the same ms increments
    // them): times past any other test's, 400 ids, 6400 draws over two 4 KB pools.
    const chars = new Set<string>();
    const future = Date.now() + 1e9;
    for (let ms = 0; ms < 400; ms++) {
      jest.spyOn(Date, 'now').mockReturnValue(future + ms);
      for (const c of newJobId('p').slice(14, 30)) chars.add(c);
    }
    jest.restoreAllMocks();
    expect(chars.size).toBe(32);
  });
});
