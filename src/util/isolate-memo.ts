// A small bounded memo that lives as long as the isolate: entries expire after `ttlMs` (or an
// earlier time given with the entry), and the oldest go first when it is full — by count, and by
// weight when a weigh function is given. Not shared between isolates and lost on eviction, so it
// only ever holds what may be a few seconds stale (each user says how stale, and why that is
// allowed). `epoch` counts deletions: a caller that read `epoch` before building a value passes
// it to set(), which then refuses the value if anything was deleted meanwhile — so a value built
// from the state before a change cannot be kept after the change dropped the old one.
export interface MemoLimits<V> {
  /** The most total weight kept (oldest entries go first); a heavier single value is not kept. */
  maxWeight: number;
  weigh: (value: V) => number;
}

export class IsolateMemo<V> {
  private readonly entries = new Map<string, { value: V; until: number; weight: number }>();
  private weight = 0;
  private deletions = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
    private readonly limits: MemoLimits<V> | null = null,
  ) {}

  get(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (this.now() >= hit.until) {
      this.remove(key);
      return undefined;
    }
    return hit.value;
  }

  /**
   * Keeps `value` until `ttlMs` from now, or `until` (epoch ms) if that is sooner. With `ifEpoch`,
   * keeps it only if nothing was deleted since that epoch was read. Returns whether it was kept.
   */
  set(key: string, value: V, options: { until?: number; ifEpoch?: number } = {}): boolean {
    if (options.ifEpoch !== undefined && options.ifEpoch !== this.deletions) return false;
    const now = this.now();
    const until = Math.min(now + this.ttlMs, options.until ?? Infinity);
    const weight = this.limits ? this.limits.weigh(value) : 0;
    this.remove(key);
    if (until <= now || (this.limits && weight > this.limits.maxWeight)) return false;
    while (
      this.entries.size > 0 &&
      (this.entries.size >= this.maxEntries || (this.limits && this.weight + weight > this.limits.maxWeight))
    )
      this.remove(this.entries.keys().next().value!);
    this.entries.set(key, { value, until, weight });
    this.weight += weight;
    return true;
  }

  delete(key: string): void {
    this.deletions++;
    this.remove(key);
  }

  clear(): void {
    this.deletions++;
    this.entries.clear();
    this.weight = 0;
  }

  /** Changes on every delete() and clear(): read it before building a value, pass it to set(). */
  get epoch(): number {
    return this.deletions;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The total weight kept (0 without limits). */
  get totalWeight(): number {
    return this.weight;
  }

  private remove(key: string): void {
    const hit = this.entries.get(key);
    if (!hit) return;
    this.entries.delete(key);
    this.weight -= hit.weight;
  }
}
