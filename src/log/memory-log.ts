// An in-memory log: the stored hashes in an array and the entries beside them. For tests and
// tools (the sequencer keeps the same hashes in SQLite). Serves tiles and entry bundles the way
// a tlog-tiles server does, for the log's current size.
import { fail } from "./errors";
import { leafHash, type Hash } from "./hash";
import { ENTRIES_LEVEL, TILE_WIDTH, encodeEntryBundle, tileHashes, tilePath, type Tile } from "./tiles";
import { storedHashCount, storedHashesForRecordHash, treeHash, type HashReader } from "./tree";
import { utf8 } from "../util/bytes";

export class MemoryLog implements HashReader {
  /** Stored hashes, by stored hash index. Invariant: hashes.length === storedHashCount(size). */
  readonly hashes: Hash[] = [];
  readonly entries: Uint8Array[] = [];

  get size(): number {
    return this.entries.length;
  }

  /** Appends a record; returns its index. */
  append(entry: Uint8Array | string): number {
    const bytes = typeof entry === "string" ? utf8(entry) : entry;
    const n = this.entries.length;
    this.hashes.push(...storedHashesForRecordHash(n, leafHash(bytes), this));
    this.entries.push(bytes);
    if (this.hashes.length !== storedHashCount(n + 1)) fail("invalid_argument", "bad stored hash count");
    return n;
  }

  readHashes(indexes: number[]): Hash[] {
    return indexes.map((i) => this.hashes[i] ?? fail("reader_failure", `no stored hash ${i}`));
  }

  treeHash(size = this.size): Hash {
    return treeHash(size, this);
  }

  /** The bytes served at a tile path: a hash tile or an entry bundle. */
  tileData(t: Tile): Uint8Array {
    if (t.level !== ENTRIES_LEVEL) return tileHashes(t, this);
    const start = t.index * TILE_WIDTH;
    if (start + t.width > this.size) fail("invalid_argument", `${tilePath(t)} is beyond the log`);
    return encodeEntryBundle(this.entries.slice(start, start + t.width));
  }
}
