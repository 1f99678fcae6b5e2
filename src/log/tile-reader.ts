// A HashReaderAsync that reads a log's hashes from its tiles (fetched from anywhere: HTTP, R2,
// a cache) for a tree head the caller has already verified (a signed checkpoint), and returns
// only hashes authenticated by that head. Every byte of every tile it uses is checked:
//   - every partial tile of the tree is hashed, with the others, into the root, which must
//     equal the signed root (the partial tiles' hashes exactly cover the tree's right edge);
//   - every full tile is hashed whole and must equal the hash its parent tile holds for it,
//     the parent being authenticated first.
// Entry bundles are checked entry by entry against the authenticated level-0 hashes.
import { bytesEqual } from "../util/bytes";
import { fail } from "./errors";
import { HASH_SIZE, leafHash, nodeHash, type Hash } from "./hash";
import {
  ENTRIES_LEVEL,
  TILE_HEIGHT,
  TILE_WIDTH,
  decodeEntryBundle,
  hashFromTile,
  subtreeOfTile,
  tileForIndexRange,
  tileInTree,
  tilePath,
  type Tile,
} from "./tiles";
import { checkSize, storedHashIndex, subTreeIndex, type HashReaderAsync } from "./tree";

/**
 * Fetches the bytes served at a tile path (e.g. `tile/0/x001/234.p/17`): exactly width·32
 * bytes for a hash tile. (A fetcher that falls back to the full tile when a partial one is
 * gone, as tlog-tiles allows, must return only its first `width` hashes.)
 */
export type TileFetcher = (path: string, tile: Tile) => Promise<Uint8Array>;

/** A tree head the caller trusts: the size and root hash of a verified checkpoint. */
export interface TreeHead {
  size: number;
  hash: Hash;
}

export class TileHashReader implements HashReaderAsync {
  /** Tiles already authenticated against the tree head, by path. */
  private readonly verified = new Map<string, Uint8Array>();
  /** Whether the right-edge tiles have been authenticated against the root (done first, once). */
  private edgeVerified = false;

  constructor(
    readonly tree: TreeHead,
    private readonly fetchTile: TileFetcher,
  ) {
    checkSize(tree.size, "tree size");
    if (!(tree.hash instanceof Uint8Array) || tree.hash.length !== HASH_SIZE)
      fail("invalid_argument", "tree head hash is not 32 bytes");
  }

  async readHashes(indexes: number[]): Promise<Hash[]> {
    if (indexes.length === 0) return [];
    const n = this.tree.size;
    const limit = n === 0 ? 0 : storedHashIndex(0, n);
    for (const x of indexes) {
      if (!Number.isSafeInteger(x) || x < 0 || x >= limit)
        fail("invalid_argument", `hash index ${x} is not in the tree of size ${n}`);
    }

    // Plan: the tiles of the tree's right edge (to recompute the root), then for each index
    // its tile and the chain of full tiles above it up to one that is already planned.
    const planned = new Map<string, Tile>();
    const plan = (t: Tile) => {
      const path = tilePath(t);
      if (!this.verified.has(path)) planned.set(path, t);
    };
    const rootIndexes = subTreeIndex(0, n, []);
    if (!this.edgeVerified) for (const x of rootIndexes) plan(this.treeTileFor(x));
    for (const x of indexes) {
      for (let t: Tile | null = this.treeTileFor(x); t && !this.known(t, planned); t = this.parentOf(t)) {
        if (t.width !== TILE_WIDTH)
          fail("invalid_argument", `bad math in TileHashReader: partial tile ${tilePath(t)} is off the right edge`);
        plan(t);
      }
    }

    // Fetch everything not yet authenticated, in parallel.
    const fetched = new Map<string, Uint8Array>();
    await Promise.all(
      [...planned].map(async ([path, t]) => {
        const data = await this.fetchTile(path, t);
        if (!(data instanceof Uint8Array) || data.length !== t.width * HASH_SIZE) {
          fail(
            "malformed_tile",
            `tile ${path} has ${data instanceof Uint8Array ? data.length : "no"} bytes, want ${t.width * HASH_SIZE}`,
          );
        }
        fetched.set(path, data);
      }),
    );

    if (!this.edgeVerified) this.authenticateRightEdge(rootIndexes, fetched);

    // Full tiles, parents before children (higher levels first).
    const full = [...planned].filter(([path]) => !this.verified.has(path)).sort(([, a], [, b]) => b.level - a.level);
    for (const [path, t] of full) {
      const parent = this.parentOf(t)!;
      const parentData = this.verified.get(tilePath(parent));
      if (!parentData) fail("invalid_argument", `bad math in TileHashReader: parent of ${path} not authenticated`);
      const want = hashFromTile(parent, parentData, storedHashIndex(TILE_HEIGHT * parent.level, t.index));
      const data = fetched.get(path)!;
      if (!bytesEqual(subtreeOfTile(data), want))
        fail("bad_tile", `tile ${path} does not match the hash its parent tile holds for it`);
      this.verified.set(path, data);
    }

    return indexes.map((x) => {
      const t = this.treeTileFor(x);
      return hashFromTile(t, this.verified.get(tilePath(t))!, x);
    });
  }

  /**
   * The entries [start, end) of the log, each checked against its authenticated leaf hash.
   * Bundles are fetched whole (at the tree's width) and must hold exactly that many entries.
   */
  async readEntries(start: number, end: number): Promise<Uint8Array[]> {
    const n = this.tree.size;
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || start > end || end > n) {
      fail("invalid_argument", `entries [${start}, ${end}) are not in the tree of size ${n}`);
    }
    const out: Uint8Array[] = [];
    for (let b = Math.floor(start / TILE_WIDTH); b * TILE_WIDTH < end; b++) {
      const bundle = tileInTree(ENTRIES_LEVEL, b, n)!;
      const first = b * TILE_WIDTH;
      const leafIndexes = Array.from({ length: bundle.width }, (_, i) => storedHashIndex(0, first + i));
      const [leaves, data] = await Promise.all([
        this.readHashes(leafIndexes),
        this.fetchTile(tilePath(bundle), bundle),
      ]);
      const entries = decodeEntryBundle(data, bundle.width);
      entries.forEach((e, i) => {
        if (!bytesEqual(leafHash(e), leaves[i]!))
          fail("bad_tile", `entry ${first + i} in ${tilePath(bundle)} does not match its leaf hash`);
      });
      out.push(...entries.slice(Math.max(0, start - first), end - first));
    }
    return out;
  }

  /** Recomputes the root from the right-edge tiles; on a match they are all authenticated. */
  private authenticateRightEdge(rootIndexes: number[], fetched: Map<string, Uint8Array>): void {
    const covered = new Map<string, number>();
    const hashes = rootIndexes.map((x) => {
      const { start, end } = tileForIndexRange(x);
      const t = this.treeTileFor(x);
      const path = tilePath(t);
      covered.set(path, (covered.get(path) ?? 0) + (end - start));
      return hashFromTile(t, fetched.get(path)!, x);
    });
    let root = hashes[hashes.length - 1]!;
    for (let i = hashes.length - 2; i >= 0; i--) root = nodeHash(hashes[i]!, root);
    if (!bytesEqual(root, this.tree.hash))
      fail("bad_tile", `the tiles do not hash to the root of the tree of size ${this.tree.size}`);
    // Invariant: the right-edge subtrees use every hash of every right-edge tile, so no byte of
    // those tiles is left unauthenticated.
    for (const [path, count] of covered) {
      const data = fetched.get(path)!;
      if (count * HASH_SIZE !== data.length)
        fail("invalid_argument", `bad math in TileHashReader: ${path} not fully covered`);
      this.verified.set(path, data);
    }
    this.edgeVerified = true;
  }

  /** The tile of this tree (at the tree's width) that holds stored hash x. */
  private treeTileFor(x: number): Tile {
    const { tile } = tileForIndexRange(x);
    return tileInTree(tile.level, tile.index, this.tree.size)!;
  }

  /** The tile holding the hash of full tile t, or null at the top. */
  private parentOf(t: Tile): Tile | null {
    return tileInTree(t.level + 1, Math.floor(t.index / TILE_WIDTH), this.tree.size);
  }

  private known(t: Tile, planned: Map<string, Tile>): boolean {
    const path = tilePath(t);
    return this.verified.has(path) || planned.has(path);
  }
}
