// RFC 6962 §2.1.1–2.1.2 proofs over the stored-hash tree: inclusion of a record in a tree
// ("record proofs") and consistency between two tree sizes ("tree proofs").
// Verification always recomputes up to the root it is given and compares; no hash is
// trusted because of where it was read from.
import { bytesEqual } from "../util/bytes";
import { fail } from "./errors";
import { EMPTY_TREE_HASH, HASH_SIZE, nodeHash, type Hash } from "./hash";
import {
  MAX_TREE_SIZE,
  checkSize,
  maxpow2,
  runPlan,
  runPlanAsync,
  subTreeHash,
  subTreeIndex,
  type Cursor,
  type HashPlan,
  type HashReader,
  type HashReaderAsync,
} from "./tree";

/** Inclusion proof ("Merkle audit path"), from the leaf's sibling up to the root's child. */
export type RecordProof = Hash[];
/** Consistency proof between an older and a newer tree size. */
export type TreeProof = Hash[];

/** A proof never has more hashes than the height of a tree of MAX_TREE_SIZE, plus slack. */
export const MAX_PROOF_LENGTH = 64;

// ---- inclusion ----

/** The plan of the proof that the tree of size t contains record n (0 ≤ n < t). */
export function proveRecordPlan(t: number, n: number): HashPlan<RecordProof> {
  checkSize(t, "tree size");
  if (!Number.isSafeInteger(n) || n < 0 || n >= t)
    fail("invalid_argument", `record ${n} is not in a tree of size ${t}`);
  return {
    indexes: leafProofIndex(0, t, n, []),
    finish(hashes) {
      const c = { hashes, at: 0 };
      const p = leafProof(0, t, n, c);
      if (c.at !== hashes.length) fail("invalid_argument", "bad index math in proveRecord");
      return p;
    },
  };
}

export function proveRecord(t: number, n: number, reader: HashReader): RecordProof {
  return runPlan(proveRecordPlan(t, n), reader);
}

export function proveRecordAsync(t: number, n: number, reader: HashReaderAsync): Promise<RecordProof> {
  return runPlanAsync(proveRecordPlan(t, n), reader);
}

function leafProofIndex(lo: number, hi: number, n: number, need: number[]): number[] {
  if (lo + 1 === hi) return need;
  const [k] = maxpow2(hi - lo);
  if (n < lo + k) {
    leafProofIndex(lo, lo + k, n, need);
    subTreeIndex(lo + k, hi, need);
  } else {
    subTreeIndex(lo, lo + k, need);
    leafProofIndex(lo + k, hi, n, need);
  }
  return need;
}

function leafProof(lo: number, hi: number, n: number, c: Cursor): RecordProof {
  // At the leaf: the verifier knows its hash, so nothing is sent.
  if (lo + 1 === hi) return [];
  // Walk toward n, recording the hash of the side not taken.
  const [k] = maxpow2(hi - lo);
  let p: RecordProof;
  let sibling: Hash;
  if (n < lo + k) {
    p = leafProof(lo, lo + k, n, c);
    sibling = subTreeHash(lo + k, hi, c);
  } else {
    sibling = subTreeHash(lo, lo + k, c);
    p = leafProof(lo + k, hi, n, c);
  }
  p.push(sibling);
  return p;
}

/**
 * Verifies that p proves that the tree of size t with root hash th has record n with leaf
 * hash h. Throws bad_proof (or malformed_proof for hashes of the wrong size).
 */
export function checkRecord(p: RecordProof, t: number, th: Hash, n: number, h: Hash): void {
  checkProofShape(p, th, h);
  if (!Number.isSafeInteger(t) || t < 1 || t > MAX_TREE_SIZE || !Number.isSafeInteger(n) || n < 0 || n >= t) {
    fail("bad_proof", `record ${n} is not in a tree of size ${t}`);
  }
  const root = runRecordProof(p, p.length, 0, t, n, h);
  if (!bytesEqual(root, th))
    fail("bad_proof", `the inclusion proof of record ${n} does not lead to the root of the tree of size ${t}`);
}

/** Runs the proof p[0:end] that leaf n is in the subtree [lo, hi): returns that subtree's hash. */
function runRecordProof(p: RecordProof, end: number, lo: number, hi: number, n: number, leaf: Hash): Hash {
  if (lo + 1 === hi) {
    // At the leaf: the proof must have no hashes left over.
    if (end !== 0) fail("bad_proof", "the inclusion proof has too many hashes");
    return leaf;
  }
  if (end === 0) fail("bad_proof", "the inclusion proof has too few hashes");
  const [k] = maxpow2(hi - lo);
  const sibling = p[end - 1]!;
  if (n < lo + k) return nodeHash(runRecordProof(p, end - 1, lo, lo + k, n, leaf), sibling);
  return nodeHash(sibling, runRecordProof(p, end - 1, lo + k, hi, n, leaf));
}

// ---- consistency ----

/**
 * The plan of the proof that the tree of size t contains the tree of size n as a prefix
 * (0 ≤ n ≤ t). The proof is empty when n = 0 or n = t.
 */
export function proveTreePlan(t: number, n: number): HashPlan<TreeProof> {
  checkSize(t, "tree size");
  checkSize(n, "old tree size");
  if (n > t) fail("invalid_argument", `cannot prove a tree of size ${n} is a prefix of a smaller tree of size ${t}`);
  if (n === 0) return { indexes: [], finish: () => [] };
  return {
    indexes: treeProofIndex(0, t, n, []),
    finish(hashes) {
      const c = { hashes, at: 0 };
      const p = treeProof(0, t, n, c);
      if (c.at !== hashes.length) fail("invalid_argument", "bad index math in proveTree");
      return p;
    },
  };
}

export function proveTree(t: number, n: number, reader: HashReader): TreeProof {
  return runPlan(proveTreePlan(t, n), reader);
}

export function proveTreeAsync(t: number, n: number, reader: HashReaderAsync): Promise<TreeProof> {
  return runPlanAsync(proveTreePlan(t, n), reader);
}

function treeProofIndex(lo: number, hi: number, n: number, need: number[]): number[] {
  if (n === hi) return lo === 0 ? need : subTreeIndex(lo, hi, need);
  const [k] = maxpow2(hi - lo);
  if (n <= lo + k) {
    treeProofIndex(lo, lo + k, n, need);
    subTreeIndex(lo + k, hi, need);
  } else {
    subTreeIndex(lo, lo + k, need);
    treeProofIndex(lo + k, hi, n, need);
  }
  return need;
}

function treeProof(lo: number, hi: number, n: number, c: Cursor): TreeProof {
  if (n === hi) {
    // Common ground. The whole old tree is known to the verifier; a part of it is sent.
    return lo === 0 ? [] : [subTreeHash(lo, hi, c)];
  }
  const [k] = maxpow2(hi - lo);
  let p: TreeProof;
  let other: Hash;
  if (n <= lo + k) {
    p = treeProof(lo, lo + k, n, c);
    other = subTreeHash(lo + k, hi, c);
  } else {
    other = subTreeHash(lo, lo + k, c);
    p = treeProof(lo + k, hi, n, c);
  }
  p.push(other);
  return p;
}

/**
 * Verifies that p proves that the tree of size t with root th contains as a prefix the tree
 * of size n with root h. Throws inconsistent_tree (or malformed_proof for hashes of the
 * wrong size). The empty tree (n = 0, h = SHA-256("")) is a prefix of every tree.
 */
export function checkTree(p: TreeProof, t: number, th: Hash, n: number, h: Hash): void {
  checkProofShape(p, th, h);
  if (!Number.isSafeInteger(t) || t < 0 || t > MAX_TREE_SIZE || !Number.isSafeInteger(n) || n < 0 || n > t) {
    fail("inconsistent_tree", `a tree of size ${n} cannot be a prefix of a tree of size ${t}`);
  }
  if (n === 0) {
    if (p.length !== 0 || !bytesEqual(h, EMPTY_TREE_HASH))
      fail("inconsistent_tree", "the old tree is empty but its proof or hash is not");
    if (t === 0 && !bytesEqual(th, EMPTY_TREE_HASH))
      fail("inconsistent_tree", "the new tree is empty but its hash is not the empty tree hash");
    return;
  }
  const [oldRoot, newRoot] = runTreeProof(p, p.length, 0, t, n, h);
  if (!bytesEqual(oldRoot, h) || !bytesEqual(newRoot, th)) {
    fail("inconsistent_tree", `the tree of size ${n} is not shown to be a prefix of the tree of size ${t}`);
  }
}

/** Runs p[0:end] for the subtree [lo, hi): returns that subtree's hash in the old and new tree. */
function runTreeProof(p: TreeProof, end: number, lo: number, hi: number, n: number, old: Hash): [Hash, Hash] {
  if (n === hi) {
    if (lo === 0) {
      if (end !== 0) fail("inconsistent_tree", "the consistency proof has too many hashes");
      return [old, old];
    }
    if (end !== 1) fail("inconsistent_tree", "the consistency proof has the wrong number of hashes");
    return [p[0]!, p[0]!];
  }
  if (end === 0) fail("inconsistent_tree", "the consistency proof has too few hashes");
  const [k] = maxpow2(hi - lo);
  const other = p[end - 1]!;
  if (n <= lo + k) {
    const [oh, th] = runTreeProof(p, end - 1, lo, lo + k, n, old);
    return [oh, nodeHash(th, other)];
  }
  const [oh, th] = runTreeProof(p, end - 1, lo + k, hi, n, old);
  return [nodeHash(other, oh), nodeHash(other, th)];
}

function checkProofShape(p: Hash[], th: Hash, h: Hash): void {
  if (!Array.isArray(p) || p.length > MAX_PROOF_LENGTH)
    fail("malformed_proof", "the proof is not a list of at most 64 hashes");
  for (const x of [...p, th, h]) {
    if (!(x instanceof Uint8Array) || x.length !== HASH_SIZE)
      fail("malformed_proof", `a proof or root hash is not ${HASH_SIZE} bytes`);
  }
}
