// Inclusion and consistency proofs, checked exhaustively against an independent RFC 6962
// reference and RFC 9162 verifiers, published CT vectors, and real CT log proofs.
import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import argon from "../../test/log/argon2020.json";
import { CT_INCLUSION, CT_CONSISTENCY, CT_LEAVES, CT_ROOTS } from "../../test/log/vectors";
import { decodeBase64, fromHex, toHex } from "../util/bytes";
import { isLogError, type LogErrorCode } from "./errors";
import { EMPTY_TREE_HASH, leafHash, parseHash, type Hash } from "./hash";
import { MemoryLog } from "./memory-log";
import { checkRecord, checkTree, proveRecord, proveRecordAsync, proveTree, proveTreeAsync } from "./proof";

// ---- An independent, deliberately simple RFC 6962 §2.1 reference, straight from the RFC's
// definitions of MTH, PATH and PROOF/SUBPROOF (recursion over slices of the data list).

const H = (...parts: (number[] | Uint8Array)[]): Uint8Array => sha256(Uint8Array.from(parts.flatMap((p) => [...p])));
/** The largest power of two strictly less than n. */
const split = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

class Reference {
  private memo = new Map<string, Uint8Array>();
  constructor(private readonly D: Uint8Array[]) {}

  /** MTH(D[lo:hi]). */
  mth(lo: number, hi: number): Uint8Array {
    const key = `${lo}:${hi}`;
    let h = this.memo.get(key);
    if (!h) {
      const n = hi - lo;
      if (n === 0) h = H();
      else if (n === 1) h = H([0x00], this.D[lo]!);
      else {
        const k = split(n);
        h = H([0x01], this.mth(lo, lo + k), this.mth(lo + k, hi));
      }
      this.memo.set(key, h);
    }
    return h;
  }

  /** PATH(m, D[lo:hi]). */
  path(m: number, lo: number, hi: number): Uint8Array[] {
    const n = hi - lo;
    if (n === 1) return [];
    const k = split(n);
    if (m < k) return [...this.path(m, lo, lo + k), this.mth(lo + k, hi)];
    return [...this.path(m - k, lo + k, hi), this.mth(lo, lo + k)];
  }

  /** PROOF(m, D[0:n]) = SUBPROOF(m, D[0:n], true). */
  proof(m: number, n: number): Uint8Array[] {
    return this.subproof(m, 0, n, true);
  }

  private subproof(m: number, lo: number, hi: number, b: boolean): Uint8Array[] {
    const n = hi - lo;
    if (m === n) return b ? [] : [this.mth(lo, hi)];
    const k = split(n);
    if (m <= k) return [...this.subproof(m, lo, lo + k, b), this.mth(lo + k, hi)];
    return [...this.subproof(m - k, lo + k, hi, false), this.mth(lo, lo + k)];
  }
}

/** RFC 9162 §2.1.3.2 inclusion verification, as a second, differently shaped verifier. */
function rfc9162VerifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: Uint8Array[],
  root: Uint8Array,
): boolean {
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = H([0x01], p, r);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) [fn, sn] = [fn >> 1, sn >> 1];
    } else {
      r = H([0x01], r, p);
    }
    [fn, sn] = [fn >> 1, sn >> 1];
  }
  return sn === 0 && toHex(r) === toHex(root);
}

/** RFC 9162 §2.1.4.2 consistency verification, for 0 < first ≤ second. */
function rfc9162VerifyConsistency(
  first: number,
  second: number,
  firstHash: Uint8Array,
  secondHash: Uint8Array,
  proof: Uint8Array[],
): boolean {
  if (first === second) return proof.length === 0 && toHex(firstHash) === toHex(secondHash);
  if (proof.length === 0) return false;
  const path = (first & (first - 1)) === 0 ? [firstHash, ...proof] : proof;
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) [fn, sn] = [fn >> 1, sn >> 1];
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = H([0x01], c, fr);
      sr = H([0x01], c, sr);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) [fn, sn] = [fn >> 1, sn >> 1];
    } else {
      sr = H([0x01], sr, c);
    }
    [fn, sn] = [fn >> 1, sn >> 1];
  }
  return sn === 0 && toHex(fr) === toHex(firstHash) && toHex(sr) === toHex(secondHash);
}

const leafData = (i: number) => new TextEncoder().encode(`@scope/pkg-${i} 1.0.${i} sha256:${"ab".repeat(32)}\n`);

function build(size: number): { log: MemoryLog; ref: Reference; data: Uint8Array[] } {
  const data = Array.from({ length: size }, (_, i) => leafData(i));
  const log = new MemoryLog();
  for (const d of data) log.append(d);
  return { log, ref: new Reference(data), data };
}

function expectCode(f: () => void, code: LogErrorCode): void {
  try {
    f();
  } catch (e) {
    expect(isLogError(e, code), `want ${code}, got ${String(e)}`).toBe(true);
    return;
  }
  throw new Error(`expected a ${code} failure`);
}

const passes = (f: () => void): boolean => {
  try {
    f();
    return true;
  } catch (e) {
    if (!isLogError(e)) throw e;
    return false;
  }
};

const flip = (h: Hash, bit = 0): Hash => {
  const out = h.slice();
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
};

// ---- exhaustive comparison with the reference ----

function checkAllInclusion(log: MemoryLog, ref: Reference, data: Uint8Array[], t: number, tamper: boolean): void {
  const root = log.treeHash(t);
  expect(toHex(root)).toBe(toHex(ref.mth(0, t)));
  for (let n = 0; n < t; n++) {
    const p = proveRecord(t, n, log);
    const want = ref.path(n, 0, t);
    expect(p.map(toHex), `PATH(${n}, D[${t}])`).toEqual(want.map(toHex));
    const leaf = leafHash(data[n]!);
    checkRecord(p, t, root, n, leaf);
    expect(rfc9162VerifyInclusion(n, t, leaf, p, root)).toBe(true);
    if (!tamper) continue;
    p.forEach((_, k) =>
      expectCode(
        () =>
          checkRecord(
            p.map((h, j) => (j === k ? flip(h, k * 7) : h)),
            t,
            root,
            n,
            leaf,
          ),
        "bad_proof",
      ),
    );
    expectCode(() => checkRecord(p, t, flip(root, 255), n, leaf), "bad_proof");
    expectCode(() => checkRecord(p, t, root, n, flip(leaf)), "bad_proof");
    for (const other of [n ^ 1, n + 1, n - 1, n ^ 2])
      if (other !== n) expectCode(() => checkRecord(p, t, root, other, leaf), "bad_proof");
    // A proof does not always pin the tree size (sizes with the same path shape share proofs;
    // the signed checkpoint binds size and root): another size must fail exactly when the
    // RFC 9162 verifier says so.
    for (const size of [t + 1, t - 1, t * 2]) {
      if (size > 0)
        expect(passes(() => checkRecord(p, size, root, n, leaf))).toBe(rfc9162VerifyInclusion(n, size, leaf, p, root));
    }
    expectCode(() => checkRecord([...p, root], t, root, n, leaf), "bad_proof");
    if (p.length > 0) expectCode(() => checkRecord(p.slice(0, -1), t, root, n, leaf), "bad_proof");
  }
}

function checkAllConsistency(log: MemoryLog, ref: Reference, t: number, tamper: boolean): void {
  const roots = Array.from({ length: t + 1 }, (_, m) => log.treeHash(m));
  const root = roots[t]!;
  for (let m = 0; m <= t; m++) {
    const p = proveTree(t, m, log);
    if (m === 0) expect(p).toEqual([]);
    const old = roots[m]!;
    expect(p.map(toHex), `PROOF(${m}, D[${t}])`).toEqual(m === 0 ? [] : ref.proof(m, t).map(toHex));
    checkTree(p, t, root, m, old);
    if (m > 0 && tamper) expect(rfc9162VerifyConsistency(m, t, old, root, p)).toBe(true);
    if (!tamper || m === 0) continue;
    p.forEach((_, k) =>
      expectCode(
        () =>
          checkTree(
            p.map((h, j) => (j === k ? flip(h, 3 + k) : h)),
            t,
            root,
            m,
            old,
          ),
        "inconsistent_tree",
      ),
    );
    expectCode(() => checkTree(p, t, flip(root, 100), m, old), "inconsistent_tree");
    expectCode(() => checkTree(p, t, root, m, flip(old, 9)), "inconsistent_tree");
    if (m < t) {
      expectCode(() => checkTree(p, t, root, m + 1, old), "inconsistent_tree");
      // As with inclusion, the proof alone does not pin the new size: agree with RFC 9162.
      for (const size of [t + 1, t - 1]) {
        if (size >= m)
          expect(passes(() => checkTree(p, size, root, m, old))).toBe(rfc9162VerifyConsistency(m, size, old, root, p));
      }
      expectCode(() => checkTree([...p, root], t, root, m, old), "inconsistent_tree");
      expectCode(() => checkTree(p.slice(0, -1), t, root, m, old), "inconsistent_tree");
      expectCode(() => checkTree(p, t, old, m, root), "inconsistent_tree"); // swapped
    }
  }
}

describe("inclusion and consistency proofs", () => {
  it("match the RFC 6962 reference for every tree of 1..40 records, and resist tampering", () => {
    const { log, ref, data } = build(40);
    for (let t = 1; t <= 40; t++) {
      checkAllInclusion(log, ref, data, t, true);
      checkAllConsistency(log, ref, t, true);
    }
  });

  it("match the reference for a tree of 7 records", () => {
    const { log, ref, data } = build(7);
    checkAllInclusion(log, ref, data, 7, true);
    checkAllConsistency(log, ref, 7, true);
  });

  it("match the reference for a tree of 300 records, between every pair of sizes", () => {
    const { log, ref, data } = build(300);
    checkAllInclusion(log, ref, data, 300, true);
    checkAllConsistency(log, ref, 300, true);
    for (let t = 1; t < 300; t++) checkAllConsistency(log, ref, t, false);
  }, 60_000);

  it("are produced the same through an async reader", async () => {
    const { log } = build(70);
    const async = { readHashes: async (ix: number[]) => log.readHashes(ix) };
    for (let n = 0; n < 70; n += 3) {
      expect(await proveRecordAsync(70, n, async)).toEqual(proveRecord(70, n, log));
      expect(await proveTreeAsync(70, n, async)).toEqual(proveTree(70, n, log));
    }
  });

  it("reproduce the certificate-transparency audit and consistency paths", () => {
    const log = new MemoryLog();
    for (const d of CT_LEAVES) log.append(d);
    for (const v of CT_INCLUSION) {
      expect(proveRecord(v.size, v.index, log).map(toHex)).toEqual(v.proof);
      checkRecord(
        v.proof.map((h) => fromHex(h)!),
        v.size,
        fromHex(CT_ROOTS[v.size]!)!,
        v.index,
        leafHash(CT_LEAVES[v.index]!),
      );
    }
    for (const v of CT_CONSISTENCY) {
      expect(proveTree(v.to, v.from, log).map(toHex)).toEqual(v.proof);
      checkTree(
        v.proof.map((h) => fromHex(h)!),
        v.to,
        fromHex(CT_ROOTS[v.to]!)!,
        v.from,
        fromHex(CT_ROOTS[v.from]!)!,
      );
    }
  });

  it("verify real Certificate Transparency proofs (Go tlog's argon2020 interop vectors)", () => {
    const hashes = (list: string[]) => list.map((s) => parseHash(s)!);
    const root = parseHash(argon.sth.sha256_root_hash)!;
    const leaf = leafHash(decodeBase64(argon.leaf_input)!);
    checkRecord(hashes(argon.audit_path), argon.sth.tree_size, root, argon.leaf_index, leaf);
    checkTree(hashes(argon.consistency), argon.sth.tree_size, root, argon.old_size, parseHash(argon.old_root_hash)!);
    expectCode(
      () => checkRecord(hashes(argon.audit_path), argon.sth.tree_size, root, argon.leaf_index + 1, leaf),
      "bad_proof",
    );
    expectCode(
      () =>
        checkTree(
          hashes(argon.consistency),
          argon.sth.tree_size,
          root,
          argon.old_size - 1,
          parseHash(argon.old_root_hash)!,
        ),
      "inconsistent_tree",
    );
  });

  it("treat the empty tree as a prefix of every tree, and nothing else as a prefix of it", () => {
    const { log } = build(5);
    checkTree([], 5, log.treeHash(5), 0, EMPTY_TREE_HASH);
    checkTree([], 0, EMPTY_TREE_HASH, 0, EMPTY_TREE_HASH);
    expectCode(() => checkTree([], 5, log.treeHash(5), 0, log.treeHash(1)), "inconsistent_tree");
    expectCode(() => checkTree([log.treeHash(1)], 5, log.treeHash(5), 0, EMPTY_TREE_HASH), "inconsistent_tree");
    expectCode(() => checkTree([], 3, log.treeHash(3), 5, log.treeHash(5)), "inconsistent_tree");
    expectCode(() => checkTree([], 3, log.treeHash(3), 3, log.treeHash(2)), "inconsistent_tree");
  });

  it("reject malformed proofs and impossible inputs", () => {
    const { log } = build(9);
    const root = log.treeHash(9);
    const p = proveRecord(9, 4, log);
    expectCode(() => checkRecord([...p.slice(1), new Uint8Array(31)], 9, root, 4, log.hashes[0]!), "malformed_proof");
    expectCode(() => checkRecord(p, 9, root.subarray(1), 4, log.hashes[0]!), "malformed_proof");
    expectCode(
      () =>
        checkRecord(
          Array.from({ length: 65 }, () => root),
          9,
          root,
          4,
          root,
        ),
      "malformed_proof",
    );
    expectCode(() => checkRecord(p, 9, root, 9, root), "bad_proof");
    expectCode(() => checkRecord(p, 9, root, -1, root), "bad_proof");
    expectCode(() => checkRecord(p, 0, root, 0, root), "bad_proof");
    expectCode(() => checkRecord(p, 9.5, root, 4, root), "bad_proof");
    expectCode(() => proveRecord(9, 9, log), "invalid_argument");
    expectCode(() => proveTree(8, 9, log), "invalid_argument");
  });
});
