// The stored-hash model: index layout, appends (single and batched), sync and async readers.
import { describe, expect, it } from "vitest";
import { isLogError } from "./errors";
import { leafHash } from "./hash";
import { MemoryLog } from "./memory-log";
import {
  MAX_TREE_SIZE,
  splitStoredHashIndex,
  storedHashCount,
  storedHashIndex,
  storedHashesForBatch,
  treeHash,
  treeHashAsync,
} from "./tree";

describe("stored hash indexes", () => {
  it("lays out the first hashes as Go's tlog does", () => {
    // Record 0: leaf (0,0) at 0. Record 1: leaf (0,1) at 1, node (1,0) at 2. Record 2: (0,2) at 3.
    // Record 3: (0,3) at 4, (1,1) at 5, (2,0) at 6.
    expect([storedHashIndex(0, 0), storedHashIndex(0, 1), storedHashIndex(1, 0), storedHashIndex(0, 2)]).toEqual([
      0, 1, 2, 3,
    ]);
    expect([storedHashIndex(0, 3), storedHashIndex(1, 1), storedHashIndex(2, 0), storedHashIndex(0, 4)]).toEqual([
      4, 5, 6, 7,
    ]);
    expect([0, 1, 2, 3, 4, 5, 8].map(storedHashCount)).toEqual([0, 1, 3, 4, 7, 8, 15]);
  });

  it("splits every index back into its coordinates", () => {
    for (let level = 0; level < 10; level++) {
      for (let n = 0; n < 100; n++) expect(splitStoredHashIndex(storedHashIndex(level, n))).toEqual([level, n]);
    }
    // And every index is some coordinate (the order is dense).
    for (let i = 0; i < 2000; i++) {
      const [level, n] = splitStoredHashIndex(i);
      expect(storedHashIndex(level, n)).toBe(i);
    }
  });

  it("stays exact near the largest supported tree (no 32-bit truncation)", () => {
    const n = MAX_TREE_SIZE - 1;
    const i = storedHashIndex(0, n);
    expect(Number.isSafeInteger(i)).toBe(true);
    expect(splitStoredHashIndex(i)).toEqual([0, n]);
    expect(splitStoredHashIndex(storedHashIndex(40, 2 ** 11 - 1))).toEqual([40, 2 ** 11 - 1]);
    expect(Number.isSafeInteger(storedHashCount(MAX_TREE_SIZE))).toBe(true);
    expect(() => storedHashCount(MAX_TREE_SIZE + 1)).toThrow();
  });

  it("appends records with the hash counts storedHashCount predicts", () => {
    const log = new MemoryLog();
    for (let i = 0; i < 300; i++) {
      log.append(`record ${i}`);
      expect(log.hashes.length).toBe(storedHashCount(i + 1));
    }
  });

  it("appends a batch as the same hashes as one record at a time", () => {
    const log = new MemoryLog();
    for (let i = 0; i < 23; i++) log.append(`r${i}`);
    const more = Array.from({ length: 300 }, (_, i) => leafHash(`b${i}`));
    const batch = storedHashesForBatch(23, more, log);
    for (let i = 0; i < 300; i++) log.append(`b${i}`);
    expect(batch).toEqual(log.hashes.slice(storedHashCount(23)));
    expect(storedHashesForBatch(5, [], log)).toEqual([]);
  });

  it("computes tree hashes through an async reader", async () => {
    const log = new MemoryLog();
    for (let i = 0; i < 37; i++) log.append(`r${i}`);
    const async = { readHashes: async (ix: number[]) => log.readHashes(ix) };
    for (let n = 0; n <= 37; n++) expect(await treeHashAsync(n, async)).toEqual(log.treeHash(n));
  });

  it("rejects a reader that returns the wrong number of hashes", () => {
    const log = new MemoryLog();
    for (let i = 0; i < 5; i++) log.append(`r${i}`);
    const liar = { readHashes: (ix: number[]) => log.readHashes(ix).slice(1) };
    try {
      treeHash(5, liar);
      expect.unreachable();
    } catch (e) {
      expect(isLogError(e, "reader_failure")).toBe(true);
    }
  });
});
