// RateLimitCounter: one Durable Object per rate-limit key (a token, an IP, an IP's downloads),
// counting requests in fixed one-minute windows. Single-threaded and persisted, so concurrent
// requests cannot slip past the limit and the remaining count it reports is exact.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix seconds when the window resets. */
  reset: number;
}

const WINDOW_MS = 60_000;

export class RateLimitCounter extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private window = -1;
  private count = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec("CREATE TABLE IF NOT EXISTS counter (id INTEGER PRIMARY KEY CHECK (id = 1), window INTEGER NOT NULL, count INTEGER NOT NULL)");
    const row = this.sql.exec<{ window: number; count: number }>("SELECT window, count FROM counter").toArray()[0];
    if (row) {
      this.window = row.window;
      this.count = row.count;
    }
  }

  /** Counts one request against `limit` per minute; a refused request is not counted. */
  hit(limit: number, now = Date.now()): RateLimitDecision {
    const window = Math.floor(now / WINDOW_MS);
    if (window !== this.window) {
      this.window = window;
      this.count = 0;
    }
    const reset = ((window + 1) * WINDOW_MS) / 1000;
    if (this.count >= limit) return { allowed: false, limit, remaining: 0, reset };
    this.count++;
    this.sql.exec("INSERT OR REPLACE INTO counter (id, window, count) VALUES (1, ?, ?)", this.window, this.count);
    return { allowed: true, limit, remaining: limit - this.count, reset };
  }

  /** The current state without counting (for failed-authentication checks). */
  peek(limit: number, now = Date.now()): RateLimitDecision {
    const window = Math.floor(now / WINDOW_MS);
    const count = window === this.window ? this.count : 0;
    return { allowed: count < limit, limit, remaining: Math.max(0, limit - count), reset: ((window + 1) * WINDOW_MS) / 1000 };
  }
}
