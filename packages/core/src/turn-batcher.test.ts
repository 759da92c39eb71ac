import { TurnBatcher } from './turn-batcher';

describe('TurnBatcher', () => {
  it('runs once per key for the calls of one turn and tells each caller its place', async () => {
    const runs: Array<[string, number]> = [];
    const b = new TurnBatcher(async (key: string, n: number) => {
      runs.push([key, n]);
      return `${key}x${n}`;
    });
    const shares = await Promise.all([b.add('a'), b.add('b'), b.add('a'), b.add('a')]);
    expect(runs).toEqual([
      ['a', 3],
      ['b', 1],
    ]);
    expect(shares.map((s) => [s.result, s.index, s.count])).toEqual([
      ['ax3', 0, 3],
      ['bx1', 0, 1],
      ['ax3', 1, 3],
      ['ax3', 2, 3],
    ]);
    // A later turn is a new batch.
    await b.add('a');
    expect(runs).toEqual([
      ['a', 3],
      ['b', 1],
      ['a', 1],
    ]);
  });

  it('rejects every caller of a failed run, and only those', async () => {
    const b = new TurnBatcher(async (key: string) => {
      if (key === 'bad') throw new Error('no');
      return key;
    });
    const results = await Promise.allSettled([b.add('bad'), b.add('ok'), b.add('bad')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'rejected']);
  });
});
