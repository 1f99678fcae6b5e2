import { describe, expect, it } from "vitest";
import { FreshCheck } from "./fresh-check";

/** A store whose answer can change, and whose calls finish only when told to. */
function store() {
  let value = true;
  const calls: { finish: () => void; fail: () => void }[] = [];
  const call = () =>
    new Promise<boolean>((resolve, reject) => {
      const seen = value; // what the storage holds when the call reaches it
      calls.push({ finish: () => resolve(seen), fail: () => reject(new Error("down")) });
    });
  return { calls, call, set: (v: boolean) => (value = v) };
}

/** Long enough for waiters, who poll on timers of their own (at most 8 ms apart), to look again. */
const tick = () => new Promise((r) => setTimeout(r, 20));
const none = () => undefined;

describe("FreshCheck", () => {
  it("makes one call for a caller that finds none running, kept alive, and forgets it once settled", async () => {
    const check = new FreshCheck<boolean>();
    const s = store();
    const kept: Promise<unknown>[] = [];
    const a = check.ask("k", s.call, (p) => kept.push(p));
    await tick();
    expect(s.calls).toHaveLength(1);
    expect(kept).toHaveLength(1);
    expect(check.size).toBe(1);
    s.calls[0]!.finish();
    expect(await a).toBe(true);
    await Promise.all(kept);
    expect(check.size).toBe(0);
  });

  it("never answers a caller from a call that began before it asked", async () => {
    const check = new FreshCheck<boolean>();
    const s = store();
    const first = check.ask("k", s.call, none); // call 1 reads `true`
    await tick();
    s.set(false); // a removal lands and is acknowledged while call 1 is in flight…
    const late = check.ask("k", s.call, none); // …then these callers ask
    const later = check.ask("k", s.call, none);
    await tick();
    expect(s.calls).toHaveLength(1); // the late callers wait for the next call, not call 1
    s.calls[0]!.finish();
    expect(await first).toBe(true);
    await tick();
    expect(s.calls).toHaveLength(2); // one call for both who waited
    // Someone asking while call 2 runs waits for call 3, though call 2 began after others asked.
    s.set(true);
    const third = check.ask("k", s.call, none);
    s.calls[1]!.finish();
    expect(await late).toBe(false);
    expect(await later).toBe(false);
    await tick();
    expect(s.calls).toHaveLength(3);
    s.calls[2]!.finish();
    expect(await third).toBe(true);
    await tick();
    expect(check.size).toBe(0);
  });

  it("fails only the callers of a failed call, and begins the next for those who waited", async () => {
    const check = new FreshCheck<boolean>();
    const s = store();
    const first = check.ask("k", s.call, none);
    await tick();
    const second = check.ask("k", s.call, none);
    s.calls[0]!.fail();
    await expect(first).rejects.toThrow("down");
    await tick();
    expect(s.calls).toHaveLength(2);
    s.calls[1]!.finish();
    expect(await second).toBe(true);
  });

  it("turns a call that throws at once into a rejection of its callers", async () => {
    const check = new FreshCheck<boolean>();
    await expect(
      check.ask(
        "k",
        () => {
          throw new Error("no binding");
        },
        none,
      ),
    ).rejects.toThrow("no binding");
    await tick();
    expect(check.size).toBe(0);
  });

  it("abandons a call that never settles (its request was aborted), for waiters and sharers alike", async () => {
    const check = new FreshCheck<boolean>(200);
    const s = store();
    const first = check.ask("k", s.call, none); // call 1
    await tick();
    void check.ask("k", s.call, none); // will begin call 2, which hangs (its own call: it waits, as for any I/O)
    const b = check.ask("k", s.call, none); // b and c will share call 2
    const c = check.ask("k", s.call, none);
    s.calls[0]!.finish();
    expect(await first).toBe(true);
    await tick();
    expect(s.calls).toHaveLength(2);
    // Polled, not slept: call 3 must be finished before its own 200 ms are up.
    for (let i = 0; i < 200 && s.calls.length < 3; i++) await new Promise((r) => setTimeout(r, 5));
    await tick();
    expect(s.calls).toHaveLength(3); // b and c gave up on call 2: one call 3 for both, not one each
    s.calls[2]!.finish();
    expect(await b).toBe(true);
    expect(await c).toBe(true);
    await tick();
    expect(check.size).toBe(0);
  });

  it("begins at once for a caller that finds only a call past its time, and keeps a newer call's entry when the old one settles late", async () => {
    const check = new FreshCheck<boolean>(20);
    const s = store();
    void check.ask("k", s.call, none); // call 1 hangs…
    await new Promise((r) => setTimeout(r, 40)); // …past its time, with nobody waiting
    const next = check.ask("k", s.call, none);
    await tick();
    expect(s.calls).toHaveLength(2); // no wait for call 1
    s.calls[0]!.finish(); // call 1 settles late: call 2 stays the one in flight
    await tick();
    expect(check.size).toBe(1);
    s.calls[1]!.finish();
    expect(await next).toBe(true);
    await tick();
    expect(check.size).toBe(0);
  });

  it("keeps keys apart", async () => {
    const check = new FreshCheck<boolean>();
    const s = store();
    void check.ask("a", s.call, none);
    void check.ask("b", s.call, none);
    await tick();
    expect(s.calls).toHaveLength(2);
    expect(check.size).toBe(2);
  });
});
