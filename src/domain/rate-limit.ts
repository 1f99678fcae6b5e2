// The shapes of a rate-limit decision, shared by the counter object and the per-isolate read
// batches (services/read-charges.ts).
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix seconds when the window resets. */
  reset: number;
  /** The bucket whose numbers these are: the one that refused, or the one closest to its limit. */
  bucket: string;
}

export interface Bucket {
  name: string;
  limit: number;
}
