// Reads are charged to their rate-limit counter in batches: each isolate counts the reads it
// answers per key and sends the count to the key's RateLimitCounter in the background, every
// few requests or every half second, learning the other isolates' counts in the answer. A read
// waits for the counter only when this isolate has not heard from it for a second, or holds a
// full batch of reads the counter has not seen. Writes, publishes and failed authentication
// keep asking the counter on every request (exact). The bound, and why: docs/access.md.
// Reads that find the batch full (or the news stale) wait in line, first come first decided: a
// reader that wakes decides for the readers ahead of it, and for itself, as far as the batch has
// room, and each takes its decision when it next wakes. A newcomer that finds a line joins it.
// Without the line, newcomers took the places a send had freed before the waiters woke, and
// under 64 connections a waiter could miss batch after batch (docs/performance.md, "Cross-request
// waits"). Waiters poll on timers of their own, never awaiting another request's promise
// (src/util/shared-call.ts: that answered 500s under load). A reader whose request was cancelled
// while in line may still be decided for: its read is counted, never answered (errs high), and
// its decision stays in `decided` until the key's state is replaced (the next window, or evicted).
import type { Bucket, RateLimitDecision } from "../domain/rate-limit";
import { MAX_POLL_MS, SharedCall } from "../util/shared-call";

const WINDOW_MS = 60_000;
/** A read waits for the counter when this isolate has not heard from it for this long. */
export const SYNC_MS = 1_000;

/**
 * Reads one isolate may answer before the counter has counted them: 5 % of the limit (5 of
 * 100/min), at least 1, at most MAX_BATCH.
 */
export function batchSize(limit: number): number {
  return Math.max(1, Math.min(MAX_BATCH, Math.floor(limit / 20)));
}

/**
 * DECISION (issue 17, docs/performance.md, "Fifth pass"): each send is a durable write of the
 * counter's, and under `npm start` that write was an eighth of a 1 MiB download's rate and a
 * fifth of a version list's for one client at a raised limit (it sent every 25 reads when the
 * batch stopped at 50). Large budgets now keep their 5 %; a batch stops at 1000 reads only so an
 * isolate never answers more than that blind. The default budgets' batches (5 to 100) are as
 * the 5 % makes them.
 */
export const MAX_BATCH = 1000;

/** Adds `n` reads to each bucket of a key for `window`; answers the buckets' counts (including them). */
export type SendReads = (window: number, buckets: string[], n: number) => Promise<Record<string, number>>;

interface KeyState {
  window: number;
  /** The counter's counts when it last answered (everything sent before, every isolate's). */
  known: Record<string, number>;
  heardAt: number;
  /** Reads answered, not sent yet / sent, not answered yet. */
  pending: number;
  sending: number;
  inflight: SharedCall<void> | null;
  /** The line, by ticket: `head` is the next reader to be decided, `tail` the next ticket. */
  head: number;
  tail: number;
  /** Decisions made for readers in line, each taken by its reader when it wakes. */
  decided: Map<number, RateLimitDecision>;
  /** The last failed send: readers in line with a ticket below `before` fail with it. */
  failed: { error: unknown; before: number } | null;
}

type Background = (p: Promise<unknown>) => void;

export class ReadCharges {
  private readonly keys = new Map<string, KeyState>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 10_000,
  ) {}

  /**
   * Charges one read to every bucket of `key`, or refuses it (not counted) when one is full as
   * far as this isolate knows. `background` runs a send the answer does not wait for.
   */
  async charge(key: string, buckets: Bucket[], send: SendReads, background: Background): Promise<RateLimitDecision> {
    const cap = batchSize(Math.min(...buckets.map((b) => b.limit)));
    // One batch per key and set of buckets: an account's tokens share its bucket, not their own.
    const id = `${key}\n${buckets.map((b) => b.name).join("\n")}`;
    let s = this.state(id);
    if (s.head === s.tail && this.open(s, cap)) return this.decide(s, key, buckets, cap, send, background);
    let ticket = s.tail++;
    for (let delay = 1; ;) {
      // Taken first: a reader decided for in a window that has since turned is not charged again.
      const decision = s.decided.get(ticket);
      if (decision) {
        s.decided.delete(ticket);
        return decision;
      }
      const current = this.state(id);
      if (current !== s) {
        // A new window (or the key evicted): the line went with the old state; join the new one.
        s = current;
        if (s.head === s.tail && this.open(s, cap)) return this.decide(s, key, buckets, cap, send, background);
        ticket = s.tail++;
        continue;
      }
      if (s.failed && ticket < s.failed.before) throw s.failed.error; // the send it waited for failed
      this.admit(s, key, buckets, cap, send, background);
      if (s.decided.has(ticket)) continue;
      const call = s.inflight;
      if (!call) {
        try {
          await this.sync(s, buckets, send, background).mine; // this request's own: a failure fails it…
        } catch (e) {
          if (!s.decided.has(ticket)) throw e; // …unless a reader decided for it meanwhile
        }
        continue;
      }
      if (call.expired()) {
        unsent(s); // its request was cancelled before the counter answered: as if it had failed
        continue;
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, MAX_POLL_MS);
    }
  }

  /** Whether a read may be decided now: the counter heard from within SYNC_MS, and room in the batch. */
  private open(s: KeyState, cap: number): boolean {
    return this.now() - s.heardAt < SYNC_MS && s.pending + s.sending < cap;
  }

  /** Decides for the readers in line, in order, while the batch has room. */
  private admit(s: KeyState, key: string, buckets: Bucket[], cap: number, send: SendReads, background: Background) {
    while (s.head < s.tail && this.open(s, cap))
      s.decided.set(s.head++, this.decide(s, key, buckets, cap, send, background));
  }

  private decide(
    s: KeyState,
    key: string,
    buckets: Bucket[],
    cap: number,
    send: SendReads,
    background: Background,
  ): RateLimitDecision {
    const reset = ((s.window + 1) * WINDOW_MS) / 1000;
    const used = (b: Bucket) => (s.known[b.name] ?? 0) + s.sending + s.pending;
    const full = buckets.find((b) => used(b) >= b.limit);
    if (full) return { allowed: false, limit: full.limit, remaining: 0, reset, bucket: full.name };
    let tightest: RateLimitDecision | null = null;
    for (const b of buckets) {
      const d = { allowed: true, limit: b.limit, remaining: b.limit - used(b) - 1, reset, bucket: b.name };
      if (!tightest || d.remaining < tightest.remaining) tightest = d;
    }
    s.pending++;
    if (!s.inflight && (s.pending * 2 >= cap || this.now() - s.heardAt >= SYNC_MS / 2))
      this.sync(s, buckets, send, background).mine.catch((e: unknown) =>
        console.error(JSON.stringify({ level: "error", msg: "rate-limit sync failed", key, error: String(e) })),
      );
    return tightest!;
  }

  /** Sends what is pending and takes the counter's counts: a call of this request's, kept alive. */
  private sync(s: KeyState, buckets: Bucket[], send: SendReads, background: Background): SharedCall<void> {
    const n = s.pending;
    s.pending = 0;
    s.sending = n;
    const call: SharedCall<void> = new SharedCall(
      async () => {
        try {
          const counts = await send(
            s.window,
            buckets.map((b) => b.name),
            n,
          );
          // Unless abandoned with a newer send in flight: that one's answer is the newer count.
          if (s.inflight === call || s.inflight === null) {
            s.known = counts;
            s.heardAt = this.now();
          }
        } catch (e) {
          if (s.inflight === call) {
            unsent(s); // not counted: sent again next time
            // The readers in line waited for this send: they fail with it, and the line moves on.
            s.failed = { error: e, before: s.tail };
            s.head = s.tail;
          }
          throw e;
        } finally {
          if (s.inflight === call) {
            s.sending = 0;
            s.inflight = null;
          }
        }
      },
      background,
      this.now,
    );
    s.inflight = call;
    return call;
  }

  private state(key: string): KeyState {
    const window = Math.floor(this.now() / WINDOW_MS);
    let s = this.keys.get(key);
    if (!s || s.window !== window) {
      // A new window: reads of the last one not sent yet are dropped with it.
      if (!s && this.keys.size >= this.maxKeys) this.keys.delete(this.keys.keys().next().value!);
      s = {
        window,
        known: {},
        heardAt: -Infinity,
        pending: 0,
        sending: 0,
        inflight: null,
        head: 0,
        tail: 0,
        decided: new Map(),
        failed: null,
      };
      this.keys.set(key, s);
    }
    return s;
  }
}

/** The send in flight did not count its reads (it failed, or was given up on): they go with the next. */
function unsent(s: KeyState): void {
  s.pending += s.sending;
  s.sending = 0;
  s.inflight = null;
}
