// Concurrent callers asking the same question of strongly consistent storage share one call —
// but only a call that started after they asked. A caller that arrives while a check is running
// waits for the next one, which starts when the running one settles and answers everyone who
// arrived meanwhile (group commit, for reads). So every answer reflects the storage at a moment
// after its caller asked: a change acknowledged before a request arrived is always seen by it,
// exactly as if each caller had made its own call, with at most two calls' latency and one
// call per key in flight per isolate instead of one per request.
//
// DECISION (issue 17, docs/performance.md): a download's R2 HEAD — the check that lets no
// removed bytes out — was half of a 1 MiB download's CPU here; a burst of downloads of one
// archive now makes about one HEAD per HEAD's duration. On Cloudflare, the same cuts R2's
// billed operations under a burst.
//
// The running call belongs to the request that started it: `keepAlive` (ctx.waitUntil) keeps it
// going if that request ends or its client goes away, so the others never wait on a call that was
// cancelled with its request.
export class FreshCheck<T> {
  private readonly running = new Map<string, Promise<T>>();
  private readonly queued = new Map<string, Promise<T>>();

  /** Answers `call()`'s result from a call of `key` that starts no earlier than now. */
  ask(key: string, call: () => Promise<T>, keepAlive: (p: Promise<unknown>) => void): Promise<T> {
    const queued = this.queued.get(key);
    if (queued) return queued;
    const running = this.running.get(key);
    if (!running) return this.start(key, call, keepAlive);
    const next = running.then(
      () => this.next(key, call, keepAlive),
      () => this.next(key, call, keepAlive),
    );
    this.queued.set(key, next);
    return next;
  }

  /** How many keys have a call in flight (for tests). */
  get inFlight(): number {
    return this.running.size;
  }

  private next(key: string, call: () => Promise<T>, keepAlive: (p: Promise<unknown>) => void): Promise<T> {
    this.queued.delete(key);
    return this.start(key, call, keepAlive);
  }

  private start(key: string, call: () => Promise<T>, keepAlive: (p: Promise<unknown>) => void): Promise<T> {
    const p = call();
    this.running.set(key, p);
    const done = () => {
      if (this.running.get(key) === p) this.running.delete(key);
    };
    keepAlive(p.then(done, done));
    return p;
  }
}
