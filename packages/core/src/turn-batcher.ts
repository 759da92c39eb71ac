/** What one caller of a shared run gets: the run's result and where the caller stood in the batch. */
export interface BatchShare<R> {
  result: R;
  /** 0-based position of this call among the calls of its batch, in call order. */
  index: number;
  /** How many calls the batch held. */
  count: number;
}

interface Waiter<R> {
  resolve: (share: BatchShare<R>) => void;
  reject: (err: unknown) => void;
}

/**
 * Calls with the same key made in one turn of the event loop share one run:
 * under load many requests of one tenant arrive together, and one Redis
 * command can answer for all of them (a read they all need, or a counter
 * they all bump, by their number). The run starts on setImmediate, after the
 * turn's I/O callbacks, so a lone call waits for nothing but that.
 */
export class TurnBatcher<K, R> {
  private pending = new Map<K, Array<Waiter<R>>>();

  constructor(private readonly run: (key: K, count: number) => Promise<R>) {}

  add(key: K): Promise<BatchShare<R>> {
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) setImmediate(() => this.flush());
      let waiters = this.pending.get(key);
      if (!waiters) this.pending.set(key, (waiters = []));
      waiters.push({ resolve, reject });
    });
  }

  private flush(): void {
    const batches = this.pending;
    this.pending = new Map();
    for (const [key, waiters] of batches) {
      const count = waiters.length;
      this.run(key, count).then(
        (result) => waiters.forEach((w, index) => w.resolve({ result, index, count })),
        (err: unknown) => waiters.forEach((w) => w.reject(err)),
      );
    }
  }
}
