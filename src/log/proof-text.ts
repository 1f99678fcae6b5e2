// C2SP tlog-proof: a self-contained, offline-verifiable proof that an entry is in the log —
//   c2sp.org/tlog-proof@v1\n[extra <base64>\n]index <N>\n<base64 hash>\n...\n\n<signed checkpoint>
// — and the one-call verifiers clients use: inclusion of an entry under a signed checkpoint,
// and consistency between two signed checkpoints.
import { decodeBase64, encodeBase64, parseDecimal } from "../util/bytes";
import { fail } from "./errors";
import { HASH_SIZE, formatHash, leafHash, parseHash, type Hash } from "./hash";
import { openCheckpoint, type Checkpoint } from "./checkpoint";
import type { NoteVerifier } from "./note";
import { MAX_PROOF_LENGTH, checkRecord, checkTree } from "./proof";
import { MAX_TREE_SIZE } from "./tree";

export const TLOG_PROOF_HEADER = "c2sp.org/tlog-proof@v1";

export interface TlogProof {
  index: number;
  /** Inclusion proof, from the leaf's sibling up to the root's child. */
  proof: Hash[];
  /** The signed checkpoint (a signed note), verbatim. */
  checkpoint: string;
  /** Opaque, unauthenticated extra data. */
  extra?: Uint8Array;
}

/** Proof hashes may be given as bytes or as base64 strings (as the sequencer stores them). */
export type ProofHashes = readonly (Hash | string)[];

export function formatProof(p: { index: number; proof: ProofHashes; checkpoint: string; extra?: Uint8Array }): string {
  if (!Number.isSafeInteger(p.index) || p.index < 0 || p.index >= MAX_TREE_SIZE)
    fail("malformed_proof", `index ${p.index} out of range`);
  const hashes = toHashes(p.proof);
  if (p.checkpoint.length === 0 || !p.checkpoint.endsWith("\n"))
    fail("malformed_proof", "the checkpoint must be a signed note ending in a newline");
  const extra = p.extra && p.extra.length > 0 ? `extra ${encodeBase64(p.extra)}\n` : "";
  return `${TLOG_PROOF_HEADER}\n${extra}index ${p.index}\n${hashes.map((h) => `${formatHash(h)}\n`).join("")}\n${p.checkpoint}`;
}

/** Parses a tlog-proof strictly. The checkpoint is returned verbatim, not yet verified. */
export function parseProof(text: string): TlogProof {
  let at = 0;
  const nextLine = (): string => {
    const end = text.indexOf("\n", at);
    if (end < 0) fail("malformed_proof", "tlog-proof ends in the middle of a line");
    const line = text.slice(at, end);
    at = end + 1;
    return line;
  };
  if (nextLine() !== TLOG_PROOF_HEADER) fail("malformed_proof", `tlog-proof must start with ${TLOG_PROOF_HEADER}`);
  let line = nextLine();
  let extra: Uint8Array | undefined;
  if (line.startsWith("extra ")) {
    const data = decodeBase64(line.slice("extra ".length));
    if (!data || data.length === 0) fail("malformed_proof", "malformed extra line");
    extra = data;
    line = nextLine();
  }
  const index = line.startsWith("index ") ? parseDecimal(line.slice("index ".length)) : null;
  if (index === null || index >= MAX_TREE_SIZE) fail("malformed_proof", "malformed index line");
  const proof: Hash[] = [];
  for (line = nextLine(); line !== ""; line = nextLine()) {
    const h = parseHash(line);
    if (!h) fail("malformed_proof", "malformed proof hash line");
    if (proof.length === MAX_PROOF_LENGTH) fail("malformed_proof", "too many proof hashes");
    proof.push(h);
  }
  const checkpoint = text.slice(at);
  if (checkpoint.length === 0) fail("malformed_proof", "tlog-proof has no checkpoint");
  return extra ? { index, proof, checkpoint, extra } : { index, proof, checkpoint };
}

export interface InclusionClaim {
  /** The entry bytes (for this registry: the entry line, newline included). */
  entry: string | Uint8Array;
  index: number;
  proof: ProofHashes;
  /** The signed checkpoint note the proof is against. */
  signedCheckpoint: string;
  verifierKey: string | NoteVerifier;
  origin: string;
}

/**
 * Verifies that `entry` is record `index` of the log under a checkpoint signed by the log's
 * key: checks the signature and origin, then recomputes the signed root from the leaf.
 * Returns the verified checkpoint; throws a LogVerificationError otherwise.
 */
export function verifyInclusion(claim: InclusionClaim): Checkpoint {
  const { checkpoint } = openCheckpoint(claim.signedCheckpoint, claim.verifierKey, claim.origin);
  checkRecord(toHashes(claim.proof), checkpoint.size, checkpoint.hash, claim.index, leafHash(claim.entry));
  return checkpoint;
}

/** Parses and verifies a tlog-proof for `entry`. Returns the index and the verified checkpoint. */
export function verifyTlogProof(
  text: string,
  opts: { entry: string | Uint8Array; verifierKey: string | NoteVerifier; origin: string },
): { index: number; checkpoint: Checkpoint } {
  const p = parseProof(text);
  const checkpoint = verifyInclusion({ ...opts, index: p.index, proof: p.proof, signedCheckpoint: p.checkpoint });
  return { index: p.index, checkpoint };
}

/**
 * Verifies that the log at `newCheckpoint` extends the log at `oldCheckpoint` (both signed by
 * the log's key): throws inconsistent_tree if the log shrank, forked, or the proof is wrong.
 */
export function verifyConsistency(
  oldCheckpoint: string,
  newCheckpoint: string,
  proof: ProofHashes,
  verifierKey: string | NoteVerifier,
  origin: string,
): { older: Checkpoint; newer: Checkpoint } {
  const older = openCheckpoint(oldCheckpoint, verifierKey, origin).checkpoint;
  const newer = openCheckpoint(newCheckpoint, verifierKey, origin).checkpoint;
  if (newer.size < older.size) fail("inconsistent_tree", `the log went back from size ${older.size} to ${newer.size}`);
  checkTree(toHashes(proof), newer.size, newer.hash, older.size, older.hash);
  return { older, newer };
}

function toHashes(proof: ProofHashes): Hash[] {
  if (!Array.isArray(proof) || proof.length > MAX_PROOF_LENGTH)
    fail("malformed_proof", "a proof is a list of at most 64 hashes");
  return proof.map((h) => {
    const hash = typeof h === "string" ? parseHash(h) : h;
    if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE)
      fail("malformed_proof", "a proof hash is not 32 bytes of base64");
    return hash;
  });
}
