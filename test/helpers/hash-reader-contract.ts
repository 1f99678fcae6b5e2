// The contract every HashReader (sync or async) keeps, as one suite to run against each
// implementation: MemoryLog (src/log/memory-log.ts), TileHashReader (tiles over the network,
// src/log/tile-reader.ts) and the LogSequencer's SQLite store (src/objects/log-hash-store.ts).
// Hashes are checked against RFC 6962's Merkle Tree Hash computed here from the entries alone,
// not with the tree code under test.
import { describe, expect, it } from "vitest";
import { sha256 } from "@noble/hashes/sha2.js";
import { formatEntry } from "../../src/log/entry";
import type { Hash } from "../../src/log/hash";
import { checkRecord, checkTree, proveRecordAsync, proveTreeAsync } from "../../src/log/proof";
import {
  splitStoredHashIndex,
  storedHashIndex,
  treeHashAsync,
  type HashReader,
  type HashReaderAsync,
} from "../../src/log/tree";

/** A reader over a log holding `entries` (in order), and its tree size. */
export type ReaderFactory = (entries: string[]) => Promise<HashReader | HashReaderAsync>;

const utf8 = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** RFC 6962 §2.1 MTH over leaves [lo, hi), written straight from the RFC. */
function mth(entries: string[], lo: number, hi: number): Hash {
  if (hi - lo === 1) return sha256(concat(new Uint8Array([0]), utf8(entries[lo]!)));
  let k = 1;
  while (k * 2 < hi - lo) k *= 2;
  return sha256(concat(new Uint8Array([1]), mth(entries, lo, lo + k), mth(entries, lo + k, hi)));
}

/** The hash stored at a stored-hash index: the complete subtree of 2^level leaves numbered n. */
function expectedStored(entries: string[], index: number): Hash {
  const [level, n] = splitStoredHashIndex(index);
  return mth(entries, n * 2 ** level, (n + 1) * 2 ** level);
}

export function entriesOf(size: number, tag = "c"): string[] {
  return Array.from({ length: size }, (_, i) =>
    formatEntry(`@contract/p${i}`, "1.0.0", `${tag}${i}`.padStart(64, "0").replace(/[^0-9a-f]/g, "a")),
  );
}

export function hashReaderContract(name: string, make: ReaderFactory, sizes: number[] = [1, 7, 256, 300]): void {
  describe(`HashReader contract: ${name}`, () => {
    for (const size of sizes) {
      const entries = entriesOf(size);
      const read = async (indexes: number[]) => (await make(entries)).readHashes(indexes);

      it(`size ${size}: returns the stored hash of every index, in the order asked`, async () => {
        const all = Array.from({ length: storedHashIndex(0, size) }, (_, i) => i);
        const hashes = await read(all);
        expect(hashes.length).toBe(all.length);
        all.forEach((index, i) => expect(hex(hashes[i]!), `index ${index}`).toBe(hex(expectedStored(entries, index))));
        const scattered = all.filter((_, i) => i % 5 === 0 || i === all.length - 1);
        expect((await read(scattered)).map(hex)).toEqual(scattered.map((i) => hex(expectedStored(entries, i))));
      });

      it(`size ${size}: answers nothing for no indexes`, async () => {
        expect(await read([])).toEqual([]);
      });

      it(`size ${size}: its hashes give the RFC 6962 root and proofs that verify`, async () => {
        const reader = await make(entries);
        const root = await treeHashAsync(size, asAsync(reader));
        expect(hex(root)).toBe(hex(mth(entries, 0, size)));
        for (const i of [0, Math.floor(size / 2), size - 1]) {
          checkRecord(
            await proveRecordAsync(size, i, asAsync(reader)),
            size,
            root,
            i,
            sha256(concat(new Uint8Array([0]), utf8(entries[i]!))),
          );
        }
        if (size > 1) {
          const older = Math.max(1, size - 3);
          checkTree(await proveTreeAsync(size, older, asAsync(reader)), size, root, older, mth(entries, 0, older));
        }
      });

      it(`size ${size}: refuses an index beyond the tree`, async () => {
        await expect((async () => read([storedHashIndex(0, size) + 10]))()).rejects.toThrow();
      });
    }
  });
}

const hex = (h: Uint8Array) => [...h].map((b) => b.toString(16).padStart(2, "0")).join("");

function asAsync(reader: HashReader | HashReaderAsync): HashReaderAsync {
  return { readHashes: async (indexes) => reader.readHashes(indexes) };
}
