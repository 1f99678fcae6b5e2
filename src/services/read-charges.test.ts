import { describe, expect, it } from "vitest";
import { batchSize, ReadCharges, SYNC_MS, type SendReads } from "./read-charges";
import { WAIT_MS } from "../util/shared-call";

/** One counter object shared by the isolates, answering after a random delay (0–3 ms). */
function fakeCounter() {
  const counts = new Map<string, number>();
  let sends = 0;
  const send: SendReads = async (_window, buckets, n) => {
    sends++;
    await new Promise((r) => setTimeout(r, Math.random() * 3));
    for (const b of buckets) counts.set(b, (counts.get(b) ?? 0) + n);
    return Object.fromEntries(buckets.map((b) => [b, counts.get(b) ?? 0]));
  };
  return { send, counts, sends: () => sends };
}

/** A clock inside one window (the tests must not straddle a minute). */
const clock = () => {
  let t = 60_000 * 1000 + 1;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

async function burst(isolates: ReadCharges[], n: number, limit: number, send: SendReads) {
  const background: Promise<unknown>[] = [];
  const decisions = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      isolates[i % isolates.length]!.charge("ip:x", [{ name: "", limit }], send, (p) => background.push(p)),
    ),
  );
  await Promise.all(background);
  return decisions;
}

describe("ReadCharges", () => {
  it("batches: 5 % of the budget, at least 1, at most 1000", () => {
    expect([100, 1000, 2000, 10, 20_000, 1_000_000].map(batchSize)).toEqual([5, 50, 100, 1, 1000, 1000]);
  });

  it("in one isolate, a parallel burst gets exactly the limit, each a distinct remaining count", async () => {
    const c = clock();
    const counter = fakeCounter();
    const decisions = await burst([new ReadCharges(c.now)], 300, 100, counter.send);
    const allowed = decisions.filter((d) => d.allowed);
    expect(allowed).toHaveLength(100);
    expect(new Set(allowed.map((d) => d.remaining)).size).toBe(100);
    expect(Math.min(...allowed.map((d) => d.remaining))).toBe(0);
    expect(decisions.filter((d) => !d.allowed).every((d) => d.remaining === 0)).toBe(true);
    // Fewer sends than reads answered: that is the point (sends start at half a batch).
    expect(counter.sends()).toBeLessThanOrEqual(Math.ceil(100 / Math.ceil(batchSize(100) / 2)) + 2);
    // What the counter has not been told yet is less than a batch, and goes with the next send.
    expect(100 - counter.counts.get("")!).toBeLessThan(batchSize(100));
  });

  it("across isolates, a parallel burst overshoots by at most one batch per isolate", async () => {
    for (const isolates of [2, 4, 8]) {
      const c = clock();
      const counter = fakeCounter();
      const all = Array.from({ length: isolates }, () => new ReadCharges(c.now));
      const decisions = await burst(all, 1000, 100, counter.send);
      const allowed = decisions.filter((d) => d.allowed).length;
      expect(allowed).toBeGreaterThanOrEqual(100);
      expect(allowed).toBeLessThanOrEqual(100 + isolates * batchSize(100));
    }
  });

  it("readers that wait are decided in the order they came: a newcomer does not pass the line", async () => {
    const c = clock();
    // A counter that answers when the test says so.
    const answers: (() => void)[] = [];
    let total = 0;
    const send: SendReads = (_window, buckets, n) =>
      new Promise((resolve) => answers.push(() => resolve(Object.fromEntries(buckets.map((b) => [b, (total += n)])))));
    const microtasks = async () => {
      for (let i = 0; i < 50; i++) await Promise.resolve(); // no timer runs meanwhile
    };
    const sent = async () => {
      while (answers.length === 0) await new Promise((r) => setTimeout(r, 1));
    };
    const r = new ReadCharges(c.now);
    const read = () => r.charge("k", [{ name: "", limit: 100 }], send, () => {});
    // No news yet: the first reader sends, nine wait in line (on their timers).
    const line = Array.from({ length: 10 }, read);
    await sent();
    answers.shift()!(); // answered: one batch (5) is decided, and its send begins in the background
    await sent();
    answers.shift()!(); // answered too: the batch has room again, before any waiter has woken
    await microtasks();
    const newcomer = read();
    const all = Promise.all([...line, newcomer]);
    let done = false;
    void all.finally(() => (done = true));
    while (!done) {
      await new Promise((r) => setTimeout(r, 1));
      answers.splice(0).forEach((answer) => answer());
    }
    const remaining = (await all).map((d) => d.remaining);
    // Decided in the order they came: each read left fewer than the one before it.
    expect(remaining).toEqual([...remaining].sort((a, b) => b - a));
    expect(new Set(remaining).size).toBe(11);
  });

  it("readers in line when the window turns join the new window's line", async () => {
    const c = clock();
    const counter = fakeCounter();
    let hang = true;
    const send: SendReads = (w, b, n) => (hang ? new Promise(() => {}) : counter.send(w, b, n));
    const r = new ReadCharges(c.now);
    const read = () => r.charge("k", [{ name: "", limit: 100 }], send, () => {});
    void read().catch(() => {}); // its send never answers
    const waiters = [read(), read()];
    await new Promise((r) => setTimeout(r, 5));
    hang = false;
    c.advance(60_000);
    const decisions = await Promise.all(waiters);
    expect(decisions.map((d) => d.remaining).sort()).toEqual([98, 99]);
    expect(decisions[0]!.reset).toBe(decisions[1]!.reset);
  });

  it("a reader decided for in line keeps that decision when the window turns before it wakes", async () => {
    const c = clock();
    const counter = fakeCounter();
    const r = new ReadCharges(c.now);
    const read = () => r.charge("k", [{ name: "", limit: 100 }], counter.send, () => {});
    // No news: the first sends, two wait in line; whoever runs next decides for all three.
    const [first, second, third] = [read(), read(), read()];
    // The window turns as soon as the second has its decision, before the third wakes.
    void second.then(() => c.advance(60_000));
    const decisions = await Promise.all([first, second, third]);
    expect(decisions.map((d) => d.remaining)).toEqual([99, 98, 97]);
    expect(new Set(decisions.map((d) => d.reset)).size).toBe(1); // not charged again in the new window
  });

  it("waits for the counter after a second without news, and so learns other isolates' reads", async () => {
    const c = clock();
    const counter = fakeCounter();
    const a = new ReadCharges(c.now);
    const b = new ReadCharges(c.now);
    const one = (r: ReadCharges) => r.charge("ip:y", [{ name: "", limit: 100 }], counter.send, () => {});
    expect((await one(a)).remaining).toBe(99);
    for (let i = 0; i < 60; i++) await one(b);
    c.advance(SYNC_MS);
    await one(b); // b sends what it holds
    expect((await one(a)).remaining).toBeLessThanOrEqual(100 - 1 - 60 - 1);
  });

  it("a failed send is sent again, and the read that waited for it fails", async () => {
    const c = clock();
    let fail = true;
    const counter = fakeCounter();
    const send: SendReads = (w, b, n) => (fail ? Promise.reject(new Error("down")) : counter.send(w, b, n));
    const r = new ReadCharges(c.now);
    await expect(r.charge("k", [{ name: "", limit: 100 }], send, () => {})).rejects.toThrow("down");
    fail = false;
    expect((await r.charge("k", [{ name: "", limit: 100 }], send, () => {})).remaining).toBe(99);
  });

  it("a read that waits for another's send fails with it, and gives up on one that never answers", async () => {
    const c = clock();
    const counter = fakeCounter();
    let mode: "fail" | "hang" | "ok" = "fail";
    const send: SendReads = (w, b, n) =>
      mode === "fail"
        ? Promise.reject(new Error("down"))
        : mode === "hang"
          ? new Promise(() => {})
          : counter.send(w, b, n);
    const r = new ReadCharges(c.now);
    const read = () => r.charge("k", [{ name: "", limit: 100 }], send, () => {});
    // Both find no news: the first begins the send, the second waits for it (on its own timers).
    const [a, b] = [read(), read()];
    await expect(a).rejects.toThrow("down");
    await expect(b).rejects.toThrow("down");
    mode = "hang";
    const beginner = read(); // its own send never answers (as if its request were cancelled)
    void beginner.catch(() => {});
    const waiter = read();
    await new Promise((r) => setTimeout(r, 20));
    mode = "ok";
    c.advance(WAIT_MS); // past the hung send's deadline: the waiter sends again itself
    expect((await waiter).allowed).toBe(true);
    expect(counter.sends()).toBe(1);
  });

  it("a reader whose own send fails late keeps the decision another reader made for it meanwhile", async () => {
    const c = clock();
    const counter = fakeCounter();
    let fail: (e: Error) => void = () => {};
    let first = true;
    const send: SendReads = (w, b, n) => {
      if (!first) return counter.send(w, b, n);
      first = false;
      return new Promise((_, reject) => (fail = reject)); // answers only when the test says so
    };
    const r = new ReadCharges(c.now);
    const read = () => r.charge("k", [{ name: "", limit: 100 }], send, () => {});
    const beginner = read(); // no news: it sends, and its send hangs
    const waiter = read();
    await new Promise((r) => setTimeout(r, 20));
    c.advance(WAIT_MS); // past the hung send's deadline: the waiter sends again and decides for both
    expect((await waiter).remaining).toBe(98);
    fail(new Error("late")); // the beginner's own send fails only now
    expect(await beginner).toMatchObject({ allowed: true, remaining: 99 });
  });
});
