import { describe, expect, it } from "vitest";
import { SharedCall } from "./shared-call";

const none = () => undefined;

describe("SharedCall", () => {
  it("lets others wait without attaching anything to the beginner's promise", async () => {
    let finish!: (v: number) => void;
    const kept: Promise<unknown>[] = [];
    const call = new SharedCall(
      () => new Promise<number>((r) => (finish = r)),
      (p) => kept.push(p),
    );
    // In Workers a request resumed by another request's promise may run in, or be cancelled
    // with, that request: count what waiters attach to it.
    let reactions = 0;
    const then = call.mine.then.bind(call.mine);
    call.mine.then = ((ok, fail) => (reactions++, then(ok, fail))) as typeof call.mine.then;
    const waiters = Array.from({ length: 5 }, () => call.settled());
    await new Promise((r) => setTimeout(r, 5));
    expect(call.outcome).toBeNull();
    finish(7);
    expect(await Promise.all(waiters)).toEqual([true, true, true, true, true]);
    expect(call.value()).toBe(7);
    expect(reactions).toBe(0);
    expect(kept).toHaveLength(1);
  });

  it("hands a failure to every waiter", async () => {
    const call = new SharedCall<number>(() => Promise.reject(new Error("down")), none);
    await expect(call.mine).rejects.toThrow("down");
    expect(await call.settled()).toBe(true);
    expect(() => call.value()).toThrow("down");
  });

  it("stops waiting at its deadline for a call that never settles", async () => {
    const call = new SharedCall(() => new Promise<number>(() => undefined), none, Date.now, 30);
    expect(await call.settled()).toBe(false);
    expect(() => call.value()).toThrow("not settled");
  });
});
