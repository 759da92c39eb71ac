interface Queued<I, R> {
  item: I;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

/**
 * Items added under one key in one turn of the event loop go to one run,
 * which answers each of them in the order added: a worker whose slots pick up
 * several jobs at once starts them with one script call (one round trip, one
 * read for Redis) instead of one each. Where TurnBatcher shares one answer by
 * count, this one hands each item its own. The run starts on setImmediate,
 * after the turn's I/O callbacks, so a lone item waits for nothing but that.
 */
export class TurnQueue<K, I, R> {
  private pending = new Map<K, Array<Queued<I, R>>>();

  constructor(private readonly run: (key: K, items: I[]) => Promise<R[]>) {}

  add(key: K, item: I): Promise<R> {
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) setImmediate(() => this.flush());
      let queued = this.pending.get(key);
      if (!queued) this.pending.set(key, (queued = []));
      queued.push({ item, resolve, reject });
    });
  }

  private flush(): void {
    const batches = this.pending;
    this.pending = new Map();
    for (const [key, queued] of batches) {
      this.run(
        key,
        queued.map((q) => q.item),
      ).then(
        (results) => {
          if (results.length !== queued.length) {
            const err = new Error(`a batch of ${queued.length} got ${results.length} results`);
            return queued.forEach((q) => q.reject(err));
          }
          queued.forEach((q, i) => q.resolve(results[i]));
        },
        (err: unknown) => queued.forEach((q) => q.reject(err)),
      );
    }
  }
}
