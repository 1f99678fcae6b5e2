// tlog-tiles: paths, which tiles a tree size needs, tile contents, and entry bundles.
import { describe, expect, it } from "vitest";
import { bytesEqual } from "../util/bytes";
import { isLogError } from "./errors";
import { MemoryLog } from "./memory-log";
import {
  ENTRIES_LEVEL,
  decodeEntryBundle,
  encodeEntryBundle,
  hashFromTile,
  newTilesForSize,
  parseTilePath,
  tileForIndex,
  tileInTree,
  tilePath,
  type Tile,
} from "./tiles";
import { storedHashCount, storedHashIndex } from "./tree";

const code = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (isLogError(e)) return e.code;
    throw e;
  }
  return undefined;
};

describe("tile paths (tlog-tiles)", () => {
  it("encode the index in 3-digit groups, x on all but the last", () => {
    expect(tilePath({ level: 0, index: 1234067, width: 256 })).toBe("tile/0/x001/x234/067");
    expect(tilePath({ level: 0, index: 0, width: 256 })).toBe("tile/0/000");
    expect(tilePath({ level: 0, index: 255, width: 256 })).toBe("tile/0/255");
    expect(tilePath({ level: 0, index: 256, width: 256 })).toBe("tile/0/256");
    expect(tilePath({ level: 0, index: 999, width: 256 })).toBe("tile/0/999");
    expect(tilePath({ level: 0, index: 1000, width: 256 })).toBe("tile/0/x001/000");
    expect(tilePath({ level: 2, index: 123456078, width: 256 })).toBe("tile/2/x123/x456/078");
    expect(tilePath({ level: 1, index: 1, width: 17 })).toBe("tile/1/001.p/17");
    expect(tilePath({ level: 63, index: 0, width: 1 })).toBe("tile/63/000.p/1");
    expect(tilePath({ level: ENTRIES_LEVEL, index: 1234067, width: 255 })).toBe("tile/entries/x001/x234/067.p/255");
    expect(tilePath({ level: ENTRIES_LEVEL, index: 5, width: 256 })).toBe("tile/entries/005");
  });

  it("parse back exactly what they format", () => {
    const tiles: Tile[] = [];
    for (const level of [ENTRIES_LEVEL, 0, 1, 9, 63]) {
      for (const index of [0, 1, 255, 256, 999, 1000, 1001, 1234067, 2 ** 40 + 7, Number.MAX_SAFE_INTEGER]) {
        for (const width of [1, 17, 255, 256]) tiles.push({ level, index, width });
      }
    }
    for (const t of tiles) expect(parseTilePath(tilePath(t))).toEqual(t);
  });

  it("reject every non-canonical or out-of-range path", () => {
    const bad = [
      "",
      "tile",
      "tile/0",
      "tile/0/",
      "tile/0/1",
      "tile/0/01",
      "tile/0/0001",
      "tile/00/000",
      "tile/01/000",
      "tile/64/000",
      "tile/-1/000",
      "tile/data/000",
      "tile/8/0/000",
      "/tile/0/000",
      "tile/0/000/",
      "tile//000",
      "tile/0/x000/001",
      "tile/0/x001/x000",
      "tile/0/001/002",
      "tile/0/x1234/000",
      "tile/0/x01/000",
      "tile/0/X001/000",
      "tile/0/000.p/0",
      "tile/0/000.p/256",
      "tile/0/000.p/017",
      "tile/0/000.p/",
      "tile/0/000.p/5/6",
      "tile/0/000.p5",
      "tile/0/000.p/+5",
      "tile/0/000.p/5 ",
      "tile/entries/000.p/",
      "tile/entries/x000/000",
      "tile/0/x009/x007/x199/x254/x740/x993/000", // beyond 2^53
      "tile/0/000\n",
    ];
    for (const path of bad)
      expect(
        code(() => parseTilePath(path)),
        JSON.stringify(path),
      ).toBe("malformed_tile_path");
  });
});

describe("tiles of a tree", () => {
  it("matches the tlog-tiles example of a tree of 70,000 entries", () => {
    const tiles = newTilesForSize(0, 70000).filter((t) => t.level !== ENTRIES_LEVEL);
    const at = (level: number) => tiles.filter((t) => t.level === level);
    expect(at(0).filter((t) => t.width === 256)).toHaveLength(273);
    expect(at(0).filter((t) => t.width < 256)).toEqual([{ level: 0, index: 273, width: 112 }]);
    expect(at(1)).toEqual([
      { level: 1, index: 0, width: 256 },
      { level: 1, index: 1, width: 17 },
    ]);
    expect(at(2)).toEqual([{ level: 2, index: 0, width: 1 }]);
    expect(tiles).toHaveLength(277);
    expect(newTilesForSize(0, 70000).filter((t) => t.level === ENTRIES_LEVEL)).toHaveLength(274);
  });

  it("represents a tree of 256 as a full level-0 tile and a level-1 tile of width 1", () => {
    expect(newTilesForSize(0, 256)).toEqual([
      { level: 0, index: 0, width: 256 },
      { level: 1, index: 0, width: 1 },
      { level: ENTRIES_LEVEL, index: 0, width: 256 },
    ]);
    expect(newTilesForSize(0, 0)).toEqual([]);
    expect(newTilesForSize(5, 5)).toEqual([]);
    expect(newTilesForSize(255, 256)).toEqual(newTilesForSize(0, 256));
    expect(newTilesForSize(256, 257)).toEqual([
      { level: 0, index: 1, width: 1 },
      { level: ENTRIES_LEVEL, index: 1, width: 1 },
    ]);
  });

  it("lists, as a tree grows, every tile the new size needs that the old one lacked", () => {
    const sizes = [0, 1, 2, 3, 100, 255, 256, 257, 511, 512, 700, 65535, 65536, 65537, 70000, 131072];
    for (let i = 1; i < sizes.length; i++) {
      const [a, b] = [sizes[i - 1]!, sizes[i]!];
      const have = new Set(newTilesForSize(0, a).map(tilePath));
      const added = newTilesForSize(a, b).map(tilePath);
      for (const p of added) expect(have.has(p), `${p} re-listed growing ${a}→${b}`).toBe(false);
      for (const p of added) have.add(p);
      for (const p of newTilesForSize(0, b).map(tilePath))
        expect(have.has(p), `${p} missing growing ${a}→${b}`).toBe(true);
    }
  });

  it("serves, for a 300-entry tree, tiles whose contents are the stored hashes", () => {
    const log = new MemoryLog();
    for (let i = 0; i < 300; i++) log.append(`@acme/pkg-${i} 1.0.0 sha256:${"0".repeat(64)}\n`);
    const tiles = newTilesForSize(0, 300);
    expect(tiles.map(tilePath)).toEqual([
      "tile/0/000",
      "tile/0/001.p/44",
      "tile/1/000.p/1",
      "tile/entries/000",
      "tile/entries/001.p/44",
    ]);
    const data = new Map(tiles.map((t) => [tilePath(t), log.tileData(t)]));
    for (const t of tiles.filter((t) => t.level !== ENTRIES_LEVEL)) {
      const bytes = data.get(tilePath(t))!;
      expect(bytes.length).toBe(t.width * 32);
      for (let i = 0; i < t.width; i++) {
        const want = log.hashes[storedHashIndex(8 * t.level, t.index * 256 + i)]!;
        expect(bytesEqual(bytes.subarray(i * 32, i * 32 + 32), want)).toBe(true);
      }
    }
    // Every stored hash of the tree can be read back from the tree's tile that holds it.
    for (let x = 0; x < storedHashCount(300); x++) {
      const narrow = tileForIndex(x);
      const t = tileInTree(narrow.level, narrow.index, 300)!;
      expect(t.width).toBeGreaterThanOrEqual(narrow.width);
      expect(bytesEqual(hashFromTile(t, data.get(tilePath(t))!, x), log.hashes[x]!), `hash ${x}`).toBe(true);
    }
    // Entry bundles hold the entries.
    expect(decodeEntryBundle(data.get("tile/entries/001.p/44")!, 44)).toEqual(log.entries.slice(256, 300));
  });

  it("refuses to read a hash from the wrong tile or from short data", () => {
    const log = new MemoryLog();
    for (let i = 0; i < 10; i++) log.append(`r${i}`);
    const t = { level: 0, index: 0, width: 10 };
    const data = log.tileData(t);
    expect(code(() => hashFromTile(t, data.subarray(1), 0))).toBe("malformed_tile");
    expect(
      code(() => hashFromTile({ level: 0, index: 0, width: 3 }, data.subarray(0, 96), storedHashIndex(0, 5))),
    ).toBe("invalid_argument");
    expect(code(() => hashFromTile({ level: 0, index: 1, width: 10 }, data, 0))).toBe("invalid_argument");
  });
});

describe("entry bundles", () => {
  const enc = (s: string) => new TextEncoder().encode(s);

  it("length-prefix each entry with a big-endian uint16", () => {
    const bundle = encodeEntryBundle([enc("ab"), enc(""), new Uint8Array(300)]);
    expect([...bundle.subarray(0, 4)]).toEqual([0, 2, 0x61, 0x62]);
    expect([...bundle.subarray(4, 8)]).toEqual([0, 0, 0x01, 0x2c]);
    expect(decodeEntryBundle(bundle, 3)).toEqual([enc("ab"), enc(""), new Uint8Array(300)]);
    const big = new Uint8Array(0xffff).fill(7);
    expect(decodeEntryBundle(encodeEntryBundle([big]), 1)).toEqual([big]);
    expect(code(() => encodeEntryBundle([new Uint8Array(0x10000)]))).toBe("invalid_argument");
    expect(code(() => encodeEntryBundle([]))).toBe("invalid_argument");
  });

  it("decode strictly", () => {
    const good = encodeEntryBundle([enc("one"), enc("two")]);
    expect(code(() => decodeEntryBundle(good, 3))).toBe("malformed_tile"); // too few
    expect(code(() => decodeEntryBundle(good, 1))).toBe("malformed_tile"); // trailing entries
    expect(code(() => decodeEntryBundle(good.subarray(0, good.length - 1), 2))).toBe("malformed_tile"); // cut entry
    expect(code(() => decodeEntryBundle(good.subarray(0, 6), 2))).toBe("malformed_tile"); // cut length prefix
    expect(code(() => decodeEntryBundle(new Uint8Array([...good, 0]), 2))).toBe("malformed_tile"); // stray byte
    expect(code(() => decodeEntryBundle(new Uint8Array(0), 1))).toBe("malformed_tile");
  });
});
