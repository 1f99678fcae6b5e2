// The log's Merkle tree in Go's tlog model (golang.org/x/mod/sumdb/tlog): every complete
// subtree hash gets a dense "stored hash index", so a log is an append-only array of hashes.
// Algorithms are written as plans — the indexes they need, then a pure `finish` over the hashes
// read — so one implementation serves a sync reader (SQLite in the sequencer) and an async one
// (tiles over HTTP in clients).
//
// Numbers: sizes and indexes are JS numbers. Tree sizes are limited to MAX_TREE_SIZE = 2^51 so
// that every stored hash index (about 2·size) stays a safe integer. No bitwise operators are
// used on sizes (they truncate to 32 bits): shifts are written as multiplication and division.
import { fail } from "./errors";
import { EMPTY_TREE_HASH, HASH_SIZE, leafHash, nodeHash, type Hash } from "./hash";

/** The largest supported tree size (2^51 records). */
export const MAX_TREE_SIZE = 2 ** 51;

/** Reads stored hashes by index (see storedHashIndex). Must return one 32-byte hash per index, in order. */
export interface HashReader {
  readHashes(indexes: number[]): Hash[];
}

/** The async form of HashReader, for readers that fetch (tiles over HTTP). */
export interface HashReaderAsync {
  readHashes(indexes: number[]): Promise<Hash[]>;
}

/** A computation over stored hashes: the indexes it needs (ascending), then a pure finish. */
export interface HashPlan<T> {
  readonly indexes: number[];
  finish(hashes: Hash[]): T;
}

export function runPlan<T>(plan: HashPlan<T>, reader: HashReader): T {
  if (plan.indexes.length === 0) return plan.finish([]);
  return plan.finish(checkRead(plan.indexes, reader.readHashes(plan.indexes)));
}

export async function runPlanAsync<T>(plan: HashPlan<T>, reader: HashReaderAsync): Promise<T> {
  if (plan.indexes.length === 0) return plan.finish([]);
  return plan.finish(checkRead(plan.indexes, await reader.readHashes(plan.indexes)));
}

function checkRead(indexes: number[], hashes: Hash[]): Hash[] {
  if (!Array.isArray(hashes) || hashes.length !== indexes.length) {
    fail(
      "reader_failure",
      `readHashes(${indexes.length} indexes) returned ${Array.isArray(hashes) ? hashes.length : "no"} hashes`,
    );
  }
  for (const h of hashes) {
    if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE)
      fail("reader_failure", "readHashes returned a value that is not a 32-byte hash");
  }
  return hashes;
}

// ---- arithmetic on sizes (safe integers, no 32-bit bitwise operators) ----

export function checkSize(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_TREE_SIZE)
    fail("invalid_argument", `${what} ${n} is not an integer in [0, 2^51]`);
}

/** floor(n / 2^k) */
export const shr = (n: number, k: number): number => Math.floor(n / 2 ** k);

/** The number of trailing zero bits of n > 0. */
function trailingZeros(n: number): number {
  let k = 0;
  while (n % 2 === 0) {
    n /= 2;
    k++;
  }
  return k;
}

/** The largest power of two strictly less than n (n ≥ 2), and its log₂. */
export function maxpow2(n: number): [k: number, level: number] {
  let level = 0;
  while (2 ** (level + 1) < n) level++;
  return [2 ** level, level];
}

// ---- stored hash indexes (Crosby & Wallach §3.3, as in Go's tlog) ----

/**
 * Maps tree coordinates to a dense linear order: the hash of the n'th subtree of 2^level
 * records is stored right after the records it completes. Appending record n writes
 * hashes at storedHashIndex(0, n) and the following indexes.
 */
export function storedHashIndex(level: number, n: number): number {
  if (!Number.isInteger(level) || level < 0 || level > 63) fail("invalid_argument", `level ${level} out of range`);
  if (!Number.isSafeInteger(n) || n < 0 || n * 2 ** level > MAX_TREE_SIZE)
    fail("invalid_argument", `node ${level}/${n} out of range`);
  // Level L's n'th hash is written right after level L+1's (2n+1)'th: walk down to level 0.
  for (let l = level; l > 0; l--) n = 2 * n + 1;
  // Level 0's n'th hash is written at n + n/2 + n/4 + ...
  let i = 0;
  for (; n > 0; n = Math.floor(n / 2)) i += n;
  return i + level;
}

/** The inverse of storedHashIndex: the [level, n] of the hash stored at index. */
export function splitStoredHashIndex(index: number): [level: number, n: number] {
  if (!Number.isSafeInteger(index) || index < 0 || index > 2 * MAX_TREE_SIZE)
    fail("invalid_argument", `stored hash index ${index} out of range`);
  // storedHashIndex(0, n) < 2n, so the record n we want is in [index/2, index/2 + log₂ index].
  let n = Math.floor(index / 2);
  let indexN = storedHashIndex(0, n);
  for (;;) {
    // Each record n adds 1 + trailingZeros(n+1) hashes.
    const x = indexN + 1 + trailingZeros(n + 1);
    if (x > index) break;
    n++;
    indexN = x;
  }
  // The hash we want was stored with record n: it is one of (0, n), (1, n/2), (2, n/4), ...
  const level = index - indexN;
  return [level, shr(n, level)];
}

/** The number of stored hashes of a tree with n records. */
export function storedHashCount(n: number): number {
  checkSize(n, "tree size");
  if (n === 0) return 0;
  let count = storedHashIndex(0, n - 1) + 1;
  for (let i = n - 1; i % 2 === 1; i = Math.floor(i / 2)) count++;
  return count;
}

// ---- appending ----

/**
 * The hashes to store when appending record n (whose leaf hash is h), to be stored starting at
 * storedHashIndex(0, n): the leaf hash, then one hash per subtree the record completes.
 * It reads at most log₂ n hashes of earlier records, so the reader must already see every
 * hash stored for records < n (use storedHashesForBatch to append several at once).
 */
export function storedHashesPlan(n: number, h: Hash): HashPlan<Hash[]> {
  checkSize(n, "record index");
  checkSize(n + 1, "tree size");
  // Each trailing 1 bit of n completes a subtree, consuming the hash of its left sibling.
  const m = trailingZeros(n + 1);
  const indexes: number[] = new Array<number>(m);
  for (let i = 0; i < m; i++) indexes[m - 1 - i] = storedHashIndex(i, shr(n, i) - 1);
  return {
    indexes,
    finish(old) {
      const out = [h];
      let acc = h;
      for (let i = 0; i < m; i++) {
        acc = nodeHash(old[m - 1 - i]!, acc);
        out.push(acc);
      }
      return out;
    },
  };
}

export function storedHashes(n: number, data: Uint8Array | string, reader: HashReader): Hash[] {
  return runPlan(storedHashesPlan(n, leafHash(data)), reader);
}

export function storedHashesForRecordHash(n: number, h: Hash, reader: HashReader): Hash[] {
  return runPlan(storedHashesPlan(n, h), reader);
}

/**
 * The hashes to store when appending records start, start+1, ... (with these leaf hashes), in
 * storage order from storedHashIndex(0, start) = storedHashCount(start). Hashes of records
 * before `start` come from `reader` (one read per record at most); those of the batch itself
 * from memory, so a sequencer can compute a whole batch before writing it in one transaction.
 */
export function storedHashesForBatch(start: number, leafHashes: Hash[], reader: HashReader): Hash[] {
  checkSize(start + leafHashes.length, "tree size");
  const base = storedHashCount(start);
  const out: Hash[] = [];
  const overlay: HashReader = {
    readHashes(indexes) {
      const old = indexes.filter((x) => x < base);
      const read = old.length > 0 ? checkRead(old, reader.readHashes(old)) : [];
      let k = 0;
      return indexes.map((x) =>
        x < base ? read[k++]! : (out[x - base] ?? fail("invalid_argument", `bad math in storedHashesForBatch: ${x}`)),
      );
    },
  };
  leafHashes.forEach((h, i) => out.push(...runPlan(storedHashesPlan(start + i, h), overlay)));
  return out;
}

// ---- tree hashes ----

/** Appends the indexes of the complete subtrees whose hashes make up the subtree [lo, hi). */
export function subTreeIndex(lo: number, hi: number, need: number[]): number[] {
  while (lo < hi) {
    const [k, level] = maxpow2(hi - lo + 1);
    if (lo % k !== 0) fail("invalid_argument", "bad math in subTreeIndex");
    need.push(storedHashIndex(level, lo / k));
    lo += k;
  }
  return need;
}

/** A read position in a list of hashes, consumed left to right by the finishing functions. */
export interface Cursor {
  hashes: Hash[];
  at: number;
}

/** The hash of the subtree [lo, hi) from the hashes subTreeIndex(lo, hi) asked for. */
export function subTreeHash(lo: number, hi: number, c: Cursor): Hash {
  let numTree = 0;
  while (lo < hi) {
    lo += maxpow2(hi - lo + 1)[0];
    numTree++;
  }
  if (numTree === 0 || c.at + numTree > c.hashes.length) fail("invalid_argument", "bad index math in subTreeHash");
  let h = c.hashes[c.at + numTree - 1]!;
  for (let i = numTree - 2; i >= 0; i--) h = nodeHash(c.hashes[c.at + i]!, h);
  c.at += numTree;
  return h;
}

/** The root hash of the tree of size n. MTH of the empty tree is SHA-256(""). */
export function treeHashPlan(n: number): HashPlan<Hash> {
  checkSize(n, "tree size");
  if (n === 0) return { indexes: [], finish: () => EMPTY_TREE_HASH.slice() };
  return {
    indexes: subTreeIndex(0, n, []),
    finish(hashes) {
      const c = { hashes, at: 0 };
      const h = subTreeHash(0, n, c);
      if (c.at !== hashes.length) fail("invalid_argument", "bad index math in treeHash");
      return h;
    },
  };
}

export function treeHash(n: number, reader: HashReader): Hash {
  return runPlan(treeHashPlan(n), reader);
}

export function treeHashAsync(n: number, reader: HashReaderAsync): Promise<Hash> {
  return runPlanAsync(treeHashPlan(n), reader);
}
