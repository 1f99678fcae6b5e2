import { describe, expect, it } from "vitest";
import { IsolateMemo } from "./isolate-memo";

describe("IsolateMemo", () => {
  it("forgets an entry once it is ttl old", () => {
    let t = 1000;
    const memo = new IsolateMemo<string>(50, 10, () => t);
    memo.set("a", "x");
    t += 49;
    expect(memo.get("a")).toBe("x");
    t += 1;
    expect(memo.get("a")).toBeUndefined();
    expect(memo.size).toBe(0);
  });

  it("drops the oldest entry when full, and a set refreshes an entry's place and age", () => {
    let t = 0;
    const memo = new IsolateMemo<number>(1000, 2, () => t);
    memo.set("a", 1);
    memo.set("b", 2);
    t = 10;
    memo.set("a", 3); // a is now the newest
    memo.set("c", 4); // b goes
    expect(memo.get("b")).toBeUndefined();
    expect(memo.get("a")).toBe(3);
    expect(memo.get("c")).toBe(4);
    expect(memo.size).toBe(2);
  });

  it("deletes one entry or all", () => {
    const memo = new IsolateMemo<number>(1000, 10);
    memo.set("a", 1);
    memo.set("b", 2);
    memo.delete("a");
    expect(memo.get("a")).toBeUndefined();
    memo.clear();
    expect(memo.get("b")).toBeUndefined();
  });
});

describe("IsolateMemo's expiry, weight and epoch", () => {
  it("keeps an entry until its own time when that is sooner than the ttl", () => {
    let t = 0;
    const memo = new IsolateMemo<string>(1000, 10, () => t);
    expect(memo.set("a", "x", { until: 100 })).toBe(true);
    t = 99;
    expect(memo.get("a")).toBe("x");
    t = 100;
    expect(memo.get("a")).toBeUndefined();
    // A time already past keeps nothing; a later one is capped by the ttl.
    expect(memo.set("b", "y", { until: 100 })).toBe(false);
    memo.set("c", "z", { until: 10_000 });
    t = 1100;
    expect(memo.get("c")).toBeUndefined();
  });

  it("drops the oldest entries to stay under the weight limit, and never keeps one heavier than it", () => {
    const memo = new IsolateMemo<Uint8Array>(1000, 100, Date.now, { maxWeight: 10, weigh: (v) => v.byteLength });
    memo.set("a", new Uint8Array(4));
    memo.set("b", new Uint8Array(4));
    memo.set("c", new Uint8Array(4)); // 12 > 10: a goes
    expect(memo.get("a")).toBeUndefined();
    expect(memo.get("b")).toBeDefined();
    expect(memo.totalWeight).toBe(8);
    expect(memo.set("big", new Uint8Array(11))).toBe(false);
    expect(memo.totalWeight).toBe(8);
    memo.set("b", new Uint8Array(1)); // replacing an entry counts its new weight only
    expect(memo.totalWeight).toBe(5);
  });

  it("refuses a value built before a deletion (any key), so a change's drop cannot be undone", () => {
    const memo = new IsolateMemo<string>(1000, 10);
    const before = memo.epoch;
    memo.delete("other");
    expect(memo.set("a", "old", { ifEpoch: before })).toBe(false);
    expect(memo.get("a")).toBeUndefined();
    expect(memo.set("a", "new", { ifEpoch: memo.epoch })).toBe(true);
    const beforeClear = memo.epoch;
    memo.clear();
    expect(memo.set("a", "x", { ifEpoch: beforeClear })).toBe(false);
  });
});
