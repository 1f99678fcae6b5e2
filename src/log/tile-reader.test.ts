// TileHashReader: proofs from tiles alone, and rejection of any tampered tile or bundle.
import { describe, expect, it } from "vitest";
import { bytesEqual } from "../util/bytes";
import { formatEntry } from "./entry";
import { isLogError, type LogErrorCode } from "./errors";
import { leafHash } from "./hash";
import { MemoryLog } from "./memory-log";
import { checkRecord, checkTree, proveRecord, proveRecordAsync, proveTree, proveTreeAsync } from "./proof";
import { TileHashReader } from "./tile-reader";
import { ENTRIES_LEVEL, newTilesForSize, tilePath } from "./tiles";
import { storedHashIndex, treeHashAsync } from "./tree";

const SIZE = 300;

function serve(size: number, version = "1.0.0") {
  const log = new MemoryLog();
  for (let i = 0; i < size; i++) log.append(formatEntry(`@acme/pkg-${i}`, version, i.toString(16).padStart(64, "0")));
  const store = new Map(newTilesForSize(0, size).map((t) => [tilePath(t), log.tileData(t)]));
  const fetched: string[] = [];
  const fetchTile = async (path: string) => {
    fetched.push(path);
    const data = store.get(path);
    if (!data) throw new Error(`404 ${path}`);
    return data.slice();
  };
  return { log, store, fetched, fetchTile, head: { size, hash: log.treeHash() } };
}

async function failure(p: Promise<unknown>): Promise<LogErrorCode | "resolved"> {
  try {
    await p;
    return "resolved";
  } catch (e) {
    if (isLogError(e)) return e.code;
    throw e;
  }
}

const allIndexes = (size: number) => Array.from({ length: storedHashIndex(0, size) }, (_, i) => i);
const leafIndexes = (size: number) => Array.from({ length: size }, (_, i) => storedHashIndex(0, i));

describe("TileHashReader", () => {
  it("proves every entry of a 300-entry tree from tiles alone", async () => {
    const { log, fetchTile, head } = serve(SIZE);
    const reader = new TileHashReader(head, fetchTile);
    for (let n = 0; n < SIZE; n++) {
      const proof = await proveRecordAsync(SIZE, n, reader);
      expect(proof).toEqual(proveRecord(SIZE, n, log));
      checkRecord(proof, SIZE, head.hash, n, leafHash(log.entries[n]!));
    }
    for (const m of [0, 1, 2, 7, 100, 255, 256, 257, 299, 300]) {
      const proof = await proveTreeAsync(SIZE, m, reader);
      expect(proof).toEqual(proveTree(SIZE, m, log));
      checkTree(proof, SIZE, head.hash, m, await treeHashAsync(m, reader));
      expect(await treeHashAsync(m, reader)).toEqual(log.treeHash(m));
    }
  });

  it("returns every stored hash of the tree, and the entries checked against them", async () => {
    const { log, fetchTile, head } = serve(SIZE);
    const reader = new TileHashReader(head, fetchTile);
    const got = await reader.readHashes(allIndexes(SIZE));
    got.forEach((h, i) => expect(bytesEqual(h, log.hashes[i]!), `hash ${i}`).toBe(true));
    expect(await reader.readEntries(0, SIZE)).toEqual(log.entries);
    expect(await reader.readEntries(250, 260)).toEqual(log.entries.slice(250, 260));
    expect(await reader.readEntries(7, 7)).toEqual([]);
  });

  it("fetches each tile once and authenticates the right edge before anything else", async () => {
    const { fetchTile, head, fetched } = serve(SIZE);
    const reader = new TileHashReader(head, fetchTile);
    await reader.readHashes([storedHashIndex(0, 3)]);
    // Leaf 3 lives in the full tile 0/000, authenticated by the hash in 1/000.p/1; the partial
    // 0/001.p/44 is fetched too because the root is recomputed from the whole right edge.
    expect([...fetched].sort()).toEqual(["tile/0/000", "tile/0/001.p/44", "tile/1/000.p/1"]);
    await reader.readHashes(leafIndexes(SIZE));
    expect(fetched).toHaveLength(3);
  });

  it("rejects any tampered byte of any tile or bundle", async () => {
    const { store, head } = serve(SIZE);
    for (const [path, good] of store) {
      const isBundle = path.startsWith("tile/entries/");
      for (const at of [0, 1, 31, 32, 100, Math.floor(good.length / 2), good.length - 1].filter(
        (i) => i < good.length,
      )) {
        const bad = good.slice();
        bad[at]! ^= 0x40;
        const fetchTile = async (p: string) => (p === path ? bad : store.get(p)!).slice();
        const reader = new TileHashReader(head, fetchTile);
        const read = isBundle ? reader.readEntries(0, SIZE) : reader.readHashes(allIndexes(SIZE));
        expect(await failure(read), `${path} byte ${at}`).toMatch(/^(bad_tile|malformed_tile)$/);
      }
    }
  });

  it("checks a full tile against its parent even when the root's subtrees share tiles (the gap in Go's x/mod 0.7 reader)", async () => {
    // In a tree of 300, the root needs 4 subtrees (256, 32, 8, 4) held in 2 tiles; Go's loop
    // skips the parent check of the full tile 0/000 and returns a tampered leaf hash.
    const { store, head } = serve(SIZE);
    const full = store.get("tile/0/000")!.slice();
    full[128 * 32]! ^= 1; // leaf 128
    const reader = new TileHashReader(head, async (p) => (p === "tile/0/000" ? full : store.get(p)!).slice());
    expect(await failure(reader.readHashes([storedHashIndex(0, 128)]))).toBe("bad_tile");
  });

  it("authenticates the whole partial tile even when the hash asked for is elsewhere", async () => {
    const { store, head } = serve(SIZE);
    const partial = store.get("tile/0/001.p/44")!.slice();
    partial[partial.length - 1]! ^= 1; // the last leaf, 299
    const reader = new TileHashReader(head, async (p) => (p === "tile/0/001.p/44" ? partial : store.get(p)!));
    expect(await failure(reader.readHashes([storedHashIndex(0, 0)]))).toBe("bad_tile");
  });

  it("rejects tiles of the wrong length, another tree's tiles, and a wrong root", async () => {
    const { store, head, log } = serve(SIZE);
    const short = new TileHashReader(head, async (p) =>
      store.get(p)!.subarray(0, p === "tile/0/000" ? 8160 : undefined),
    );
    expect(await failure(short.readHashes([0]))).toBe("malformed_tile");

    const other = serve(SIZE, "2.0.0");
    const mixed = new TileHashReader(head, async (p) => (p === "tile/0/000" ? other.store : store).get(p)!);
    expect(await failure(mixed.readHashes([0]))).toBe("bad_tile");

    const wrongRoot = new TileHashReader({ size: SIZE, hash: log.treeHash(SIZE - 1) }, async (p) => store.get(p)!);
    expect(await failure(wrongRoot.readHashes([0]))).toBe("bad_tile");

    // A bundle with the right hashes but one entry swapped for another's.
    const swapped = new Map(store);
    const entries = log.entries.slice(0, 256);
    [entries[0], entries[1]] = [entries[1]!, entries[0]!];
    const { encodeEntryBundle } = await import("./tiles");
    swapped.set("tile/entries/000", encodeEntryBundle(entries));
    const bundles = new TileHashReader(head, async (p) => swapped.get(p)!);
    expect(await failure(bundles.readEntries(0, 1))).toBe("bad_tile");
  });

  it("refuses hashes and entries outside the tree", async () => {
    const { fetchTile, head } = serve(SIZE);
    const reader = new TileHashReader(head, fetchTile);
    expect(await failure(reader.readHashes([storedHashIndex(0, SIZE)]))).toBe("invalid_argument");
    expect(await failure(reader.readHashes([-1]))).toBe("invalid_argument");
    expect(await failure(reader.readEntries(0, SIZE + 1))).toBe("invalid_argument");
    const empty = new TileHashReader({ size: 0, hash: new MemoryLog().treeHash() }, fetchTile);
    expect(await failure(empty.readHashes([0]))).toBe("invalid_argument");
    expect(await empty.readEntries(0, 0)).toEqual([]);
  });

  it("works across tile levels (a tree of 70,000 entries)", async () => {
    const log = new MemoryLog();
    for (let i = 0; i < 70000; i++) log.append(`e${i}\n`);
    const tiles = newTilesForSize(0, 70000).filter((t) => t.level !== ENTRIES_LEVEL || t.index >= 270);
    const store = new Map(tiles.map((t) => [tilePath(t), log.tileData(t)]));
    const reader = new TileHashReader(
      { size: 70000, hash: log.treeHash() },
      async (p) => store.get(p) ?? Promise.reject(new Error(p)),
    );
    for (const n of [0, 255, 256, 65535, 65536, 69999, 12345]) {
      const proof = await proveRecordAsync(70000, n, reader);
      checkRecord(proof, 70000, log.treeHash(), n, leafHash(log.entries[n]!));
    }
    expect(await treeHashAsync(65536, reader)).toEqual(log.treeHash(65536));
    expect(await reader.readEntries(69990, 70000)).toEqual(log.entries.slice(69990));
    // Tamper with a level-1 full tile: its children can no longer be authenticated.
    const bad = store.get("tile/1/000")!.slice();
    bad[5]! ^= 1;
    const tampered = new TileHashReader({ size: 70000, hash: log.treeHash() }, async (p) =>
      p === "tile/1/000" ? bad : store.get(p)!,
    );
    expect(await failure(tampered.readHashes([storedHashIndex(0, 1)]))).toBe("bad_tile");
  }, 60_000);
});
