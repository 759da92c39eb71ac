/**
 * A small in-process cache with a time limit per entry and a size cap, for
 * lookups that sit on every request (key -> tenant, tenant -> limits). Pub/sub
 * invalidation makes changes take effect at once; the time limit only bounds
 * how long a lost invalidation message can matter.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string, now = Date.now()): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.until > now) return e.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: V, now = Date.now()): void {
    // Dropping everything at the cap keeps this O(1); a refill costs one lookup per key.
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { value, until: now + this.ttlMs });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
