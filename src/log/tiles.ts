// C2SP tlog-tiles: the tree served as static tiles of height 8 (256 hashes per full tile),
// and entry bundles (the records themselves). Paths, which tiles a tree size needs, building
// tile bytes from stored hashes, reading a hash back out of a tile, and the bundle format.
//
// A tile at level L, index N, width W holds the W consecutive hashes at tree level 8·L
// starting at N·256: for L = 0 the leaf hashes; for L ≥ 1 the roots of full tiles of level
// L−1. Full tiles have W = 256; the rightmost tile of a level may be partial (1 ≤ W ≤ 255).
// An entry bundle (ENTRIES_LEVEL) has the same index and width as its level-0 tile.
import { fail } from "./errors";
import { HASH_SIZE, nodeHash, type Hash } from "./hash";
import {
  MAX_TREE_SIZE,
  checkSize,
  runPlan,
  runPlanAsync,
  splitStoredHashIndex,
  storedHashIndex,
  type HashPlan,
  type HashReader,
  type HashReaderAsync,
} from "./tree";

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
/** The level of entry bundles (`tile/entries/...`), as Go's tlog writes data tiles (L = −1). */
export const ENTRIES_LEVEL = -1;

export interface Tile {
  /** 0..63 for hash tiles; ENTRIES_LEVEL (−1) for entry bundles. */
  level: number;
  /** Index of the tile within its level. */
  index: number;
  /** Number of hashes (or entries): 256 for a full tile, 1..255 for a partial one. */
  width: number;
}

function checkTile(t: Tile): void {
  if (!Number.isInteger(t.level) || t.level < ENTRIES_LEVEL || t.level > 63)
    fail("invalid_argument", `tile level ${t.level} out of range`);
  if (!Number.isSafeInteger(t.index) || t.index < 0) fail("invalid_argument", `tile index ${t.index} out of range`);
  if (!Number.isInteger(t.width) || t.width < 1 || t.width > TILE_WIDTH)
    fail("invalid_argument", `tile width ${t.width} out of range`);
}

// ---- paths ----

/** `tile/<L>/<N>[.p/<W>]` or `tile/entries/<N>[.p/<W>]`, N in 3-digit groups: 1234067 → x001/x234/067. */
export function tilePath(t: Tile): string {
  checkTile(t);
  let n = t.index;
  let nStr = String(n % 1000).padStart(3, "0");
  while (n >= 1000) {
    n = Math.floor(n / 1000);
    nStr = `x${String(n % 1000).padStart(3, "0")}/${nStr}`;
  }
  const level = t.level === ENTRIES_LEVEL ? "entries" : String(t.level);
  return `tile/${level}/${nStr}${t.width === TILE_WIDTH ? "" : `.p/${t.width}`}`;
}

const TILE_PATH = /^tile\/(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/;

/** Parses a tile path strictly: only the canonical path of a tile is accepted. */
export function parseTilePath(path: string): Tile {
  const m = TILE_PATH.exec(path);
  if (!m) fail("malformed_tile_path", `malformed tile path ${JSON.stringify(path)}`);
  const level = m[1] === "entries" ? ENTRIES_LEVEL : Number(m[1]);
  let index = 0;
  for (const group of m[2]!.split("/")) index = index * 1000 + Number(group.replace("x", ""));
  const width = m[3] === undefined ? TILE_WIDTH : Number(m[3]);
  if (level > 63 || (m[3] !== undefined && width >= TILE_WIDTH) || !Number.isSafeInteger(index)) {
    fail("malformed_tile_path", `tile path ${JSON.stringify(path)} out of range`);
  }
  const tile = { level, index, width };
  // Rejects non-canonical index encodings such as x000/001.
  if (tilePath(tile) !== path) fail("malformed_tile_path", `non-canonical tile path ${JSON.stringify(path)}`);
  return tile;
}

// ---- which tiles a tree has ----

/** The tile of the tree of size `size` at (level, index), at the width the tree gives it, or null. */
export function tileInTree(level: number, index: number, size: number): Tile | null {
  const hashLevel = level === ENTRIES_LEVEL ? 0 : level;
  const count = Math.floor(size / TILE_WIDTH ** hashLevel); // hashes at tree level 8·L
  const width = Math.min(TILE_WIDTH, count - index * TILE_WIDTH);
  return width > 0 ? { level, index, width } : null;
}

/**
 * The tiles a checkpoint of size `newSize` needs that one of size `oldSize` did not have:
 * full tiles completed in between, and the new partial tile of each level that changed —
 * hash tiles first (by level), then entry bundles. Partial tiles of sizes between the two
 * are not listed (tlog-tiles only requires partial tiles for checkpointed sizes).
 */
export function newTilesForSize(oldSize: number, newSize: number): Tile[] {
  checkSize(oldSize, "old tree size");
  checkSize(newSize, "tree size");
  if (oldSize > newSize) fail("invalid_argument", `tree size ${newSize} is smaller than ${oldSize}`);
  const hashTiles: Tile[] = [];
  const bundles: Tile[] = [];
  for (let level = 0; Math.floor(newSize / TILE_WIDTH ** level) > 0; level++) {
    const oldN = Math.floor(oldSize / TILE_WIDTH ** level);
    const newN = Math.floor(newSize / TILE_WIDTH ** level);
    const out: Tile[] = [];
    for (let n = Math.floor(oldN / TILE_WIDTH); n < Math.floor(newN / TILE_WIDTH); n++)
      out.push({ level, index: n, width: TILE_WIDTH });
    const width = newN % TILE_WIDTH;
    if (width > 0 && newN !== oldN) out.push({ level, index: Math.floor(newN / TILE_WIDTH), width });
    hashTiles.push(...out);
    if (level === 0) bundles.push(...out.map((t) => ({ ...t, level: ENTRIES_LEVEL })));
  }
  return [...hashTiles, ...bundles];
}

// ---- tile contents ----

/** The stored hash indexes of a hash tile's hashes, in tile order. */
export function tileHashIndexes(t: Tile): number[] {
  checkTile(t);
  if (t.level === ENTRIES_LEVEL) fail("invalid_argument", "an entry bundle holds entries, not hashes");
  const start = t.index * TILE_WIDTH;
  if ((start + t.width) * TILE_WIDTH ** t.level > MAX_TREE_SIZE)
    fail("invalid_argument", `tile ${tilePath(t)} is beyond the largest tree`);
  const out: number[] = [];
  for (let i = 0; i < t.width; i++) out.push(storedHashIndex(TILE_HEIGHT * t.level, start + i));
  return out;
}

/** The bytes of a hash tile: its hashes concatenated. */
export function tileHashesPlan(t: Tile): HashPlan<Uint8Array> {
  return {
    indexes: tileHashIndexes(t),
    finish(hashes) {
      const out = new Uint8Array(hashes.length * HASH_SIZE);
      hashes.forEach((h, i) => out.set(h, i * HASH_SIZE));
      return out;
    },
  };
}

export function tileHashes(t: Tile, reader: HashReader): Uint8Array {
  return runPlan(tileHashesPlan(t), reader);
}

export function tileHashesAsync(t: Tile, reader: HashReaderAsync): Promise<Uint8Array> {
  return runPlanAsync(tileHashesPlan(t), reader);
}

/**
 * The narrowest tile holding the hash at a stored index, and the range of its hashes
 * [start, end) (in hashes) whose subtree hash is that hash.
 */
export function tileForIndexRange(index: number): { tile: Tile; start: number; end: number } {
  const [level, n] = splitStoredHashIndex(index);
  const tileLevel = Math.floor(level / TILE_HEIGHT);
  const inner = level - tileLevel * TILE_HEIGHT; // the hash's level within the tile
  const span = 2 ** inner; // tile hashes under it
  const tileIndex = Math.floor((n * span) / TILE_WIDTH);
  const k = n - (tileIndex * TILE_WIDTH) / span; // its position among level-`inner` nodes of the tile
  return { tile: { level: tileLevel, index: tileIndex, width: (k + 1) * span }, start: k * span, end: (k + 1) * span };
}

/** The narrowest tile that holds the hash stored at `index`. */
export function tileForIndex(index: number): Tile {
  return tileForIndexRange(index).tile;
}

/** The hash stored at `index`, read from tile t (tileForIndex(index) or a wider one) with bytes `data`. */
export function hashFromTile(t: Tile, data: Uint8Array, index: number): Hash {
  checkTile(t);
  if (t.level === ENTRIES_LEVEL) fail("invalid_argument", "an entry bundle holds entries, not hashes");
  if (data.length !== t.width * HASH_SIZE)
    fail("malformed_tile", `tile ${tilePath(t)} has ${data.length} bytes, want ${t.width * HASH_SIZE}`);
  const { tile, start, end } = tileForIndexRange(index);
  if (tile.level !== t.level || tile.index !== t.index || tile.width > t.width) {
    fail("invalid_argument", `hash ${index} is in ${tilePath(tile)}, not in ${tilePath(t)}`);
  }
  return subtreeOfTile(data.subarray(start * HASH_SIZE, end * HASH_SIZE));
}

/** The Merkle hash of 2^k consecutive tile hashes. */
export function subtreeOfTile(data: Uint8Array): Hash {
  if (data.length === HASH_SIZE) return data.slice();
  const half = data.length / 2;
  if (half < HASH_SIZE || half % HASH_SIZE !== 0) fail("invalid_argument", "bad math in subtreeOfTile");
  return nodeHash(subtreeOfTile(data.subarray(0, half)), subtreeOfTile(data.subarray(half)));
}

// ---- entry bundles ----

/** Longest entry a bundle can hold (uint16 length prefix). */
export const MAX_ENTRY_SIZE = 0xffff;

/** Entry bundle bytes: each entry as a big-endian uint16 length followed by its bytes. */
export function encodeEntryBundle(entries: Uint8Array[]): Uint8Array {
  if (entries.length < 1 || entries.length > TILE_WIDTH)
    fail("invalid_argument", `a bundle holds 1 to 256 entries, not ${entries.length}`);
  let size = 0;
  for (const e of entries) {
    if (e.length > MAX_ENTRY_SIZE) fail("invalid_argument", `an entry of ${e.length} bytes does not fit a bundle`);
    size += 2 + e.length;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const e of entries) {
    out[at] = e.length >> 8;
    out[at + 1] = e.length & 0xff;
    out.set(e, at + 2);
    at += 2 + e.length;
  }
  return out;
}

/** Decodes an entry bundle that must hold exactly `width` entries; malformed_tile otherwise. */
export function decodeEntryBundle(data: Uint8Array, width: number): Uint8Array[] {
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH)
    fail("invalid_argument", `bundle width ${width} out of range`);
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < data.length) {
    if (out.length === width) fail("malformed_tile", `entry bundle has bytes after its ${width} entries`);
    if (at + 2 > data.length) fail("malformed_tile", "entry bundle ends inside a length prefix");
    const length = (data[at]! << 8) | data[at + 1]!;
    at += 2;
    if (at + length > data.length) fail("malformed_tile", "entry bundle ends inside an entry");
    out.push(data.slice(at, at + length));
    at += length;
  }
  if (out.length !== width) fail("malformed_tile", `entry bundle has ${out.length} entries, want ${width}`);
  return out;
}
