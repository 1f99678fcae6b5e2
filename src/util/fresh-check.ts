// Concurrent callers asking the same question of strongly consistent storage share one call —
// but only a call that began after they asked. A caller that finds a call running that began
// earlier waits for it to settle and looks again: by then another caller may have begun a call,
// which it shares, or it begins one itself (group commit, for reads). So every answer reflects the
// storage at a moment after its caller asked: a change acknowledged before a request arrived is
// always seen by it. Shared with the others: the call's failure, and its latency (about two
// calls' at most under a burst; up to WAIT_MS more behind a call whose request was aborted).
//
// DECISION (issue 17, docs/performance.md): a download's R2 HEAD — the check that lets no
// removed bytes out — was the largest part of a download's CPU here besides the bytes; a burst of
// downloads of one archive now makes a fraction of the HEADs. On Cloudflare the same cuts R2's
// billed operations under a burst.
//
// Workers: the call's promise is its beginner's alone; the others wait for its outcome on
// timers of their own (src/util/shared-call.ts says why: awaiting another request's promise
// answered 500s under load). The call belongs to the request that began it: `keepAlive`
// (ctx.waitUntil) keeps it going if that request ends first. A call that has not settled
// WAIT_MS after it began (its request was aborted) is abandoned: nobody waits for it any longer,
// shared or not, and the next caller begins another.
import { SharedCall, WAIT_MS } from "./shared-call";

interface Call<T> {
  shared: SharedCall<T>;
  /** The ticket it began with: it answers every caller whose ticket is lower. */
  began: number;
}

export class FreshCheck<T> {
  private readonly calls = new Map<string, Call<T>>();
  private tickets = 0;

  constructor(
    private readonly waitMs = WAIT_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Answers from a call of `key` that began no earlier than this ask. */
  async ask(key: string, call: () => Promise<T>, keepAlive: (p: Promise<unknown>) => void): Promise<T> {
    const asked = ++this.tickets;
    for (;;) {
      const latest = this.calls.get(key);
      if (!latest) return this.begin(key, call, keepAlive);
      if (await latest.shared.settled()) {
        if (latest.began > asked) return latest.shared.value();
        // It began before this ask: look again (a newer call, or none). Its settle wrapper's
        // `finally` has removed it already; the check only rules out looking at it twice.
      }
      // Settled before this ask, or abandoned.
      if (this.calls.get(key) === latest) this.calls.delete(key);
    }
  }

  /** How many keys have a call in flight (for tests). */
  get size(): number {
    return this.calls.size;
  }

  private begin(key: string, call: () => Promise<T>, keepAlive: (p: Promise<unknown>) => void): Promise<T> {
    const settle = async () => {
      try {
        return await call();
      } finally {
        if (this.calls.get(key) === entry) this.calls.delete(key); // not a newer call's entry
      }
    };
    const entry: Call<T> = { shared: new SharedCall(settle, keepAlive, this.now, this.waitMs), began: ++this.tickets };
    this.calls.set(key, entry);
    return entry.shared.mine;
  }
}
