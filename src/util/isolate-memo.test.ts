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
