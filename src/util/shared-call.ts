// One call that a request begins and other requests of the isolate wait for — each in its own
// request's context. Workers runs a request's continuations in that request's context: a request
// that awaits a promise another request created (or one that another request's code resolves)
// may be resumed inside, or cancelled with, the request that created it. Measured here, on
// workerd under 64 connections: 500s with "Cannot perform I/O on behalf of a different request"
// and "…your Worker's code had hung" — a quarter of the answers of a bare Worker that shares a
// Durable Object call that way, and of this registry's reads once their rate-limit batch was
// full (docs/performance.md, "Cross-request waits"). So the call's promise is the beginner's
// alone (`mine`); everyone else reads `outcome`, a plain value, polled on timers of their own.
//
// The beginner's `keepAlive` (ctx.waitUntil) keeps the call going if its request ends first.
// A call that has not settled `waitMs` after it began (its request was cancelled) is past its
// deadline: `settled()` stops waiting for it, and its owner begins another.

/** How long others wait for a call before giving up on it. */
export const WAIT_MS = 5_000;

/** Polls back off from 1 ms to this (a Durable Object or R2 round trip on Cloudflare: a few ms). */
export const MAX_POLL_MS = 8;

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export class SharedCall<T> {
  /** Set when the call settles: what every other request reads. */
  outcome: Outcome<T> | null = null;
  /** The beginner's own promise. Never await it from another request. */
  readonly mine: Promise<T>;
  /** When others stop waiting for it (epoch ms, on `now`'s clock). */
  private readonly deadline: number;

  constructor(
    call: () => Promise<T>,
    keepAlive: (p: Promise<unknown>) => void,
    private readonly now: () => number = Date.now,
    waitMs = WAIT_MS,
  ) {
    this.deadline = now() + waitMs;
    this.mine = Promise.resolve().then(call);
    // Registered first, so the outcome is set before the beginner's own await resumes.
    keepAlive(
      this.mine.then(
        (value) => void (this.outcome = { ok: true, value }),
        (error: unknown) => void (this.outcome = { ok: false, error }),
      ),
    );
  }

  /** Past its deadline without settling (its request was cancelled): nobody waits for it any longer. */
  expired(): boolean {
    return !this.outcome && this.now() >= this.deadline;
  }

  /** Waits, on this request's own timers, until the call settles (true) or its deadline passes (false). */
  async settled(): Promise<boolean> {
    for (let delay = 1; !this.outcome; delay = Math.min(delay * 2, MAX_POLL_MS)) {
      const left = this.deadline - this.now();
      if (left <= 0) return false;
      await new Promise((r) => setTimeout(r, Math.min(delay, left)));
    }
    return true;
  }

  /** The settled call's value, or its error thrown. */
  value(): T {
    const o = this.outcome;
    if (!o) throw new Error("the shared call has not settled");
    if (o.ok) return o.value;
    throw o.error;
  }
}
