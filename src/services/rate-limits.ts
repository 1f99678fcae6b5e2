// Rate-limit counters: one RateLimitCounter Durable Object per key (an account, the operator
// token, an address), strongly consistent: writes and failed authentication are counted there
// one by one, so concurrent requests cannot slip past those limits; reads in batches per isolate
// (chargeRead), within the bound docs/access.md states.
import type { Env } from "../env";
import type { Bucket, RateLimitDecision } from "../objects/rate-limit-counter";
import { rateLimitName } from "../storage/keys";
import { ReadCharges } from "./read-charges";

/** This isolate's batches of reads (one per isolate: the batching is per isolate). */
const reads = new ReadCharges();

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

  /** Charges a read: counted in this isolate, sent to the counter in batches (services/read-charges.ts). */
  chargeRead(key: string, buckets: Bucket[], background: (p: Promise<unknown>) => void): Promise<RateLimitDecision> {
    return reads.charge(
      key,
      buckets,
      (window, names, n) => Promise.resolve(this.counter(key).addReads(window, names, n)),
      background,
    );
  }

  hit(key: string, limit: number): Promise<RateLimitDecision> {
    return Promise.resolve(this.counter(key).hit(limit));
  }

  /** The state of `key`'s counter without counting (stores nothing). */
  peek(key: string, limit: number): Promise<RateLimitDecision> {
    return Promise.resolve(this.counter(key).peek(limit));
  }
}
