import { TurnQueue } from './turn-queue';

describe('TurnQueue', () => {
  it('runs the items of one key added in one turn together, answering each its own', async () => {
    const runs: Array<[string, number[]]> = [];
    const q = new TurnQueue(async (key: string, items: number[]) => {
      runs.push([key, items]);
      return items.map((n) => `${key}${n * 10}`);
    });
    const answers = await Promise.all([q.add('a', 1), q.add('b', 2), q.add('a', 3)]);
    expect(answers).toEqual(['a10', 'b20', 'a30']);
    expect(runs).toEqual([
      ['a', [1, 3]],
      ['b', [2]],
    ]);
  });

  it('starts a new run for items added in a later turn', async () => {
    const sizes: number[] = [];
    const q = new TurnQueue(async (_key: string, items: number[]) => (sizes.push(items.length), items));
    await q.add('a', 1);
    await Promise.all([q.add('a', 2), q.add('a', 3)]);
    expect(sizes).toEqual([1, 2]);
  });

  it('rejects every item of a run that fails, and of one that answers the wrong number of items', async () => {
    const failing = new TurnQueue(async (): Promise<number[]> => Promise.reject(new Error('down')));
    const results = await Promise.allSettled([failing.add('a', 1), failing.add('a', 2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    const short = new TurnQueue(async (_key: string, items: number[]) => items.slice(1));
    await expect(Promise.all([short.add('a', 1), short.add('a', 2)])).rejects.toThrow('a batch of 2 got 1 results');
  });
});
