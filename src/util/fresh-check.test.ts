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

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("FreshCheck", () => {
  it("makes one call for a caller that finds none running, and forgets it once settled", async () => {
    const check = new FreshCheck<boolean>();
    const s = store();
    const kept: Promise<unknown>[] = [];
    const a = check.ask("k", s.call, (p) => kept.push(p));
    expect(s.calls).toHaveLength(1);
    expect(check.inFlight).toBe(1);
    s.calls[0]!.finish();
    expect(await a).toBe(true);
    await Promise.all(kept);
    expect(check.inFlight).toBe(0);
    expect(kept).toHaveLength(1);
  });

  it("never answers a caller from a call that started before it asked", async () => {
    const check = new FreshCheck<boolean>();
    const s = store();
    const first = check.ask("k", s.call, () => undefined); // call 1 reads `true`
    s.set(false); // a removal lands and is acknowledged while call 1 is in flight…
    const late = check.ask("k", s.call, () => undefined); // …then this caller asks
    const later = check.ask("k", s.call, () => undefined);
    expect(s.calls).toHaveLength(1); // the late callers wait for the next call, not call 1
    s.calls[0]!.finish();
    expect(await first).toBe(true);
    await tick();
    expect(s.calls).toHaveLength(2); // one call for both who waited
    s.calls[1]!.finish();
    expect(await late).toBe(false);
    expect(await later).toBe(false);
  });

  it("starts the next call even when the running one fails, and fails only its own callers", async () => {
    const check = new FreshCheck<boolean>();
    const s = store();
    const first = check.ask("k", s.call, () => undefined);
    const second = check.ask("k", s.call, () => undefined);
    s.calls[0]!.fail();
    await expect(first).rejects.toThrow("down");
    await tick();
    s.calls[1]!.finish();
    expect(await second).toBe(true);
  });

  it("keeps keys apart", async () => {
    const check = new FreshCheck<boolean>();
    const s = store();
    check.ask("a", s.call, () => undefined);
    check.ask("b", s.call, () => undefined);
    expect(s.calls).toHaveLength(2);
    expect(check.inFlight).toBe(2);
  });
});
