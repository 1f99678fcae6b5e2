// The sequencer's SQLite state: entries (deduplicated by `name version`), every stored tree
// hash in Go's tlog index order, and the sequenced/published sizes with the latest checkpoint.
// Only LogSequencer uses it; every method is synchronous (DO SQLite), so a sequence() call is
// one atomic transaction.
import type { HashReader } from "../log/tree";
import type { Hash } from "../log/hash";
import { storedHashIndex, storedHashes } from "../log/tree";
import { proveRecord, proveTree } from "../log/proof";
import { formatHash } from "../log/hash";
import { parseEntry } from "../log/entry";

export interface SequencerState {
  /** Entries durably assigned an index. */
  sequenced: number;
  /** Entries covered by the latest signed checkpoint (≤ sequenced). */
  published: number;
  checkpoint: string | null;
}

export class SqliteHashStore implements HashReader {
  private readonly sql: SqlStorage;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS entries (idx INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, line TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS hashes (id INTEGER PRIMARY KEY, hash BLOB NOT NULL);
      CREATE TABLE IF NOT EXISTS state (id INTEGER PRIMARY KEY CHECK (id = 1), sequenced INTEGER NOT NULL, published INTEGER NOT NULL, checkpoint TEXT);
      INSERT OR IGNORE INTO state (id, sequenced, published, checkpoint) VALUES (1, 0, 0, NULL);
      CREATE TABLE IF NOT EXISTS names_marked (id INTEGER PRIMARY KEY CHECK (id = 1), through INTEGER NOT NULL);
      INSERT OR IGNORE INTO names_marked (id, through) VALUES (1, 0);
    `);
  }

  state(): SequencerState {
    return this.sql
      .exec<{ sequenced: number; published: number; checkpoint: string | null }>(
        "SELECT sequenced, published, checkpoint FROM state WHERE id = 1",
      )
      .one();
  }

  findEntryByKey(key: string): { index: number; line: string } | null {
    const row = this.sql
      .exec<{ idx: number; line: string }>("SELECT idx, line FROM entries WHERE key = ?", key)
      .toArray()[0];
    return row ? { index: row.idx, line: row.line } : null;
  }

  /** Whether any entry's key starts with `prefix` (ASCII): one range scan of the key index. */
  hasKeyWithPrefix(prefix: string): boolean {
    const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
    return this.sql.exec("SELECT 1 FROM entries WHERE key >= ? AND key < ? LIMIT 1", prefix, end).toArray().length > 0;
  }

  /**
   * How many packages have an entry at index `from` or later and none before it (so from 0: how
   * many packages the log names). Keys are `<name> <version>`: a package's keys are the range
   * ["<name> ", "<name>!"), found on the key index.
   */
  newPackagesFrom(from: number): number {
    return this.sql
      .exec<{ n: number }>(
        `SELECT count(*) AS n FROM entries e WHERE e.idx >= ? AND NOT EXISTS (
           SELECT 1 FROM entries p WHERE p.key >= substr(e.key, 1, instr(e.key, ' ')) AND p.key < substr(e.key, 1, instr(e.key, ' ') - 1) || '!' AND p.idx < e.idx)`,
        from,
      )
      .one().n;
  }

  /** Entries below this index have their package's and scope's R2 name markers (LogPublisher). */
  namesMarkedThrough(): number {
    return this.sql.exec<{ through: number }>("SELECT through FROM names_marked WHERE id = 1").one().through;
  }

  markNamesThrough(size: number): void {
    this.sql.exec("UPDATE names_marked SET through = max(through, ?) WHERE id = 1", size);
  }

  /** The packages and scopes with an entry in [from, to) and none before `from`. */
  namesFirstIn(from: number, to: number): string[] {
    const names = new Set<string>();
    for (const { key } of this.sql.exec<{ key: string }>(
      "SELECT key FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx",
      from,
      to,
    )) {
      const pkg = key.slice(0, key.indexOf(" "));
      names.add(pkg);
      names.add(pkg.slice(0, pkg.indexOf("/")));
    }
    return [...names].filter(
      (name) => !this.hasKeyWithPrefixBefore(name.includes("/") ? `${name} ` : `${name}/`, from),
    );
  }

  private hasKeyWithPrefixBefore(prefix: string, before: number): boolean {
    const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
    return (
      this.sql
        .exec("SELECT 1 FROM entries WHERE key >= ? AND key < ? AND idx < ? LIMIT 1", prefix, end, before)
        .toArray().length > 0
    );
  }

  entryAt(index: number): string {
    return this.sql.exec<{ line: string }>("SELECT line FROM entries WHERE idx = ?", index).one().line;
  }

  entries(from: number, to: number): string[] {
    return this.sql
      .exec<{ line: string }>("SELECT line FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx", from, to)
      .toArray()
      .map((r) => r.line);
  }

  readHashes(indexes: number[]): Hash[] {
    if (indexes.length === 0) return [];
    const lo = Math.min(...indexes);
    const hi = Math.max(...indexes);
    // A tile asks for a dense run of indexes: one range query. A proof asks for a few scattered ones.
    if (hi - lo < 4 * indexes.length) {
      const byId = new Map<number, Hash>();
      for (const row of this.sql.exec<{ id: number; hash: ArrayBuffer }>(
        "SELECT id, hash FROM hashes WHERE id BETWEEN ? AND ?",
        lo,
        hi,
      )) {
        byId.set(row.id, new Uint8Array(row.hash));
      }
      return indexes.map((id) => byId.get(id) ?? missing(id));
    }
    return indexes.map(
      (id) =>
        new Uint8Array(this.sql.exec<{ hash: ArrayBuffer }>("SELECT hash FROM hashes WHERE id = ?", id).one().hash),
    );
  }

  /**
   * Assigns the next indexes to new lines and stores their tree hashes, all in one transaction.
   * Lines whose key is already sequenced (a retry) are skipped and get their existing index.
   */
  sequence(lines: string[]): number[] {
    return this.storage.transactionSync(() => {
      let size = this.state().sequenced;
      const indexes = lines.map((line) => {
        const { name, version } = parseEntry(line);
        const key = `${name} ${version}`;
        const existing = this.findEntryByKey(key);
        if (existing) return existing.index;
        const hashes = storedHashes(size, line, this);
        const first = storedHashIndex(0, size);
        hashes.forEach((h, i) =>
          this.sql.exec("INSERT INTO hashes (id, hash) VALUES (?, ?)", first + i, toArrayBuffer(h)),
        );
        this.sql.exec("INSERT INTO entries (idx, key, line) VALUES (?, ?, ?)", size, key, line);
        return size++;
      });
      this.sql.exec("UPDATE state SET sequenced = ? WHERE id = 1", size);
      return indexes;
    });
  }

  markPublished(size: number, checkpoint: string): void {
    this.sql.exec("UPDATE state SET published = ?, checkpoint = ? WHERE id = 1", size, checkpoint);
  }

  inclusionProof(index: number, treeSize: number): string[] {
    return proveRecord(treeSize, index, this).map(formatHash);
  }

  consistencyProof(oldSize: number, newSize: number): string[] {
    return proveTree(newSize, oldSize, this).map(formatHash);
  }
}

function missing(id: number): never {
  throw new Error(`log hash ${id} is not stored`);
}

function toArrayBuffer(h: Hash): ArrayBuffer {
  return h.buffer.slice(h.byteOffset, h.byteOffset + h.byteLength) as ArrayBuffer;
}
