// Rate-limit counters: one RateLimitCounter Durable Object per key (an account, the operator
// token, an address), strongly consistent, so concurrent requests cannot slip past a limit and
// the remaining counts reported are exact.
import type { Env } from "../env";
import type { Bucket, RateLimitDecision } from "../objects/rate-limit-counter";
import { rateLimitName } from "../storage/keys";

export type { Bucket, RateLimitDecision } from "../objects/rate-limit-counter";

export class RateLimits {
  constructor(private readonly env: Env) {}

  private counter(key: string) {
    return this.env.RATE_LIMIT_COUNTER.getByName(rateLimitName(key));
  }

  /** Counts one request in every bucket of `key`'s counter, or in none if one is full. */
  hitAll(key: string, buckets: Bucket[]): Promise<RateLimitDecision> {
    return Promise.resolve(this.counter(key).hitAll(buckets));
  }

  hit(key: string, limit: number): Promise<RateLimitDecision> {
    return Promise.resolve(this.counter(key).hit(limit));
  }

  /** The state of `key`'s counter without counting (stores nothing). */
  peek(key: string, limit: number): Promise<RateLimitDecision> {
    return Promise.resolve(this.counter(key).peek(limit));
  }
}
