// RateLimitCounter: one Durable Object per rate-limit key (an account, a token without one, an
// IP, an IP's downloads), counting requests in fixed one-minute windows. One object may hold
// several buckets — an account's own and each of its tokens' — and a request is counted in all
// of them or in none, atomically, so concurrent requests cannot slip past any limit and the
// remaining counts it reports are exact. The table is created by the first counted request, so
// a peek (failed-authentication checks) stores nothing; once its window is over, the alarm
// deletes the whole object's storage, so counters of addresses seen once do not pile up.
// Reads reach it in batches (addReads, from services/read-charges.ts); everything else one by one.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

import type { Bucket, RateLimitDecision } from "../domain/rate-limit";

export type { Bucket, RateLimitDecision } from "../domain/rate-limit";

const WINDOW_MS = 60_000;

export class RateLimitCounter extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** Counts of the current window, by bucket (loaded from storage once). */
  private counts: Map<string, number> | null = null;
  private window = -1;
  private tableReady = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
  }

  /** Counts one request against `limit` per minute; a refused request is not counted. */
  hit(limit: number, now = Date.now()): Promise<RateLimitDecision> {
    return this.hitAll([{ name: "", limit }], now);
  }

  /**
   * Counts one request in every bucket, or, if any bucket is at its limit, in none. The
   * decision carries the refusing bucket's numbers, else those of the bucket with the fewest
   * requests left, so the headers tell the limit that will bite first.
   */
  async hitAll(buckets: Bucket[], now = Date.now()): Promise<RateLimitDecision> {
    const window = Math.floor(now / WINDOW_MS);
    const counts = this.load(window);
    const reset = ((window + 1) * WINDOW_MS) / 1000;
    const full = buckets.find((b) => (counts.get(b.name) ?? 0) >= b.limit);
    if (full) return { allowed: false, limit: full.limit, remaining: 0, reset, bucket: full.name };
    // Everything up to the return is synchronous, so no other request can interleave.
    const created = !this.hasTable();
    if (created) {
      this.sql.exec("CREATE TABLE counts (bucket TEXT PRIMARY KEY, window INTEGER NOT NULL, count INTEGER NOT NULL)");
      this.tableReady = true;
    }
    let tightest: RateLimitDecision | null = null;
    for (const b of buckets) {
      const count = (counts.get(b.name) ?? 0) + 1;
      counts.set(b.name, count);
      this.sql.exec("INSERT OR REPLACE INTO counts (bucket, window, count) VALUES (?, ?, ?)", b.name, window, count);
      const decision = { allowed: true, limit: b.limit, remaining: b.limit - count, reset, bucket: b.name };
      if (!tightest || decision.remaining < tightest.remaining) tightest = decision;
    }
    // Storage exists from here on: the alarm deletes it once its window is over.
    if (created) await this.ctx.storage.setAlarm(reset * 1000 + 1000);
    return tightest!;
  }

  /**
   * Counts `n` reads an isolate already answered (services/read-charges.ts) in each bucket, for
   * the window it answered them in — a send that arrives after its window is over counts
   * nothing — and answers the current counts of those buckets, everyone's reads and writes.
   */
  async addReads(window: number, buckets: string[], n: number, now = Date.now()): Promise<Record<string, number>> {
    const current = Math.floor(now / WINDOW_MS);
    const counts = this.load(current);
    if (window === current && n > 0) {
      const created = !this.hasTable();
      if (created) {
        this.sql.exec("CREATE TABLE counts (bucket TEXT PRIMARY KEY, window INTEGER NOT NULL, count INTEGER NOT NULL)");
        this.tableReady = true;
      }
      for (const b of buckets) {
        const count = (counts.get(b) ?? 0) + n;
        counts.set(b, count);
        this.sql.exec("INSERT OR REPLACE INTO counts (bucket, window, count) VALUES (?, ?, ?)", b, current, count);
      }
      if (created) await this.ctx.storage.setAlarm((current + 1) * WINDOW_MS + 1000);
    }
    return Object.fromEntries(buckets.map((b) => [b, window === current ? (counts.get(b) ?? 0) : 0]));
  }

  /** The current state of one bucket without counting (for failed-authentication checks). */
  peek(limit: number, now = Date.now(), bucket = ""): RateLimitDecision {
    const window = Math.floor(now / WINDOW_MS);
    const count = this.load(window).get(bucket) ?? 0;
    return {
      allowed: count < limit,
      limit,
      remaining: Math.max(0, limit - count),
      reset: ((window + 1) * WINDOW_MS) / 1000,
      bucket,
    };
  }

  /** After a window: delete everything if nothing counted since, else look again after this one. */
  override async alarm(): Promise<void> {
    const window = Math.floor(Date.now() / WINDOW_MS);
    const current =
      this.hasTable() &&
      this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM counts WHERE window >= ?", window).one().n > 0;
    if (current) {
      await this.ctx.storage.setAlarm((window + 1) * WINDOW_MS + 1000);
      return;
    }
    this.counts = null;
    this.window = -1;
    this.tableReady = false;
    await this.ctx.storage.deleteAll();
  }

  private load(window: number): Map<string, number> {
    if (this.counts && this.window === window) return this.counts;
    const counts = new Map<string, number>();
    if (this.hasTable()) {
      for (const row of this.sql.exec<{ bucket: string; count: number }>(
        "SELECT bucket, count FROM counts WHERE window = ?",
        window,
      ))
        counts.set(row.bucket, row.count);
    }
    this.counts = counts;
    this.window = window;
    return counts;
  }

  private hasTable(): boolean {
    this.tableReady ||=
      this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'counts'").toArray().length > 0;
    return this.tableReady;
  }
}
