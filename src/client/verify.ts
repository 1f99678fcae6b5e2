// What a user relies on: checks that a downloaded archive is what the registry logged and
// that the log is the one everyone else sees. Every check recomputes from bytes and a trusted
// verifier key; no hash is believed because the registry served it. Failures list exactly what
// did not match (VerificationError).
import { VerificationError, type Mismatch } from "./errors";
import type { InclusionReceipt } from "../log/receipt";
import { isLogError } from "../log/errors";
import { openCheckpoint, type Checkpoint } from "../log/checkpoint";
import { entryLeafHash, formatEntry } from "../log/entry";
import { parseHash, formatHash, type Hash } from "../log/hash";
import { parseVerifierKey } from "../log/note";
import { checkRecord } from "../log/proof";
import { verifyTlogProof } from "../log/proof-text";
import { encodeBase64, toHex } from "../util/bytes";
import { sha256 } from "@noble/hashes/sha2.js";

/** What the archive's bytes are checked against; absent headers are not checked. */
export interface ArchiveClaims {
  /** sha256 hex from the version metadata (or a lock file). */
  sha256: string;
  /** The ETag value without quotes. */
  etag?: string | null;
  /** The `Repr-Digest` header value, `sha-256=:<base64>:`. */
  reprDigest?: string | null;
}

/** The archive's sha256 (hex) if it matches every claim; otherwise a VerificationError. */
export function verifyArchive(subject: string, bytes: Uint8Array, claims: ArchiveClaims): string {
  const digest = sha256(bytes);
  const hex = toHex(digest);
  const mismatches: Mismatch[] = [];
  if (hex !== claims.sha256)
    mismatches.push({ check: "archive sha256 vs the registry's metadata", expected: claims.sha256, actual: hex });
  if (claims.etag != null && claims.etag !== hex)
    mismatches.push({ check: "archive sha256 vs the ETag header", expected: claims.etag, actual: hex });
  if (claims.reprDigest != null) {
    const b64 = encodeBase64(digest);
    const served = /sha-256=:([A-Za-z0-9+/=]+):/.exec(claims.reprDigest)?.[1];
    if (served !== b64)
      mismatches.push({
        check: "archive sha256 vs the Repr-Digest header",
        expected: claims.reprDigest,
        actual: `sha-256=:${b64}:`,
      });
  }
  if (mismatches.length > 0) throw new VerificationError(subject, mismatches);
  return hex;
}

/** The log origin a verifier key belongs to: its name (the checkpoint's origin line). */
export function originOfKey(verifierKey: string): string {
  try {
    return parseVerifierKey(verifierKey).name;
  } catch (err) {
    throw new VerificationError("the log verifier key", [{ check: "verifier key", detail: errorText(err) }]);
  }
}

/** Opens a signed checkpoint with the trusted key (origin = the key's name). */
export function openTrustedCheckpoint(subject: string, note: string, verifierKey: string): Checkpoint {
  const origin = originOfKey(verifierKey);
  try {
    return openCheckpoint(note, verifierKey, origin).checkpoint;
  } catch (err) {
    throw new VerificationError(subject, [
      { check: `checkpoint signature by the trusted key of ${origin}`, detail: errorText(err) },
    ]);
  }
}

export interface ExpectedEntry {
  name: string;
  version: string;
  sha256: string;
  /** The log index the metadata claims, when known. */
  logIndex?: number;
}

/**
 * Proves `name version sha256` is in the log: the served entry must be exactly the line we
 * build ourselves, the checkpoint must be signed by the trusted key, and the inclusion proof
 * must recompute that checkpoint's root. Returns the verified checkpoint.
 */
export function verifyInclusion(
  subject: string,
  receipt: InclusionReceipt & { tlogProof?: string },
  expected: ExpectedEntry,
  verifierKey: string,
): Checkpoint {
  const mismatches: Mismatch[] = [];
  let line: string | null = null;
  try {
    line = formatEntry(expected.name, expected.version, expected.sha256);
  } catch (err) {
    mismatches.push({ check: "expected log entry", detail: errorText(err) });
  }
  if (line !== null && receipt.entry !== line) {
    mismatches.push({ check: "log entry", expected: JSON.stringify(line), actual: JSON.stringify(receipt.entry) });
  }
  if (expected.logIndex !== undefined && receipt.index !== expected.logIndex) {
    mismatches.push({
      check: "log index vs the registry's metadata",
      expected: String(expected.logIndex),
      actual: String(receipt.index),
    });
  }
  let checkpoint: Checkpoint;
  try {
    checkpoint = openTrustedCheckpoint(subject, receipt.checkpoint, verifierKey);
  } catch (err) {
    if (err instanceof VerificationError) throw new VerificationError(subject, [...mismatches, ...err.mismatches]);
    throw err;
  }
  if (receipt.treeSize !== checkpoint.size) {
    mismatches.push({
      check: "tree size vs the signed checkpoint",
      expected: String(checkpoint.size),
      actual: String(receipt.treeSize),
    });
  }
  const proof = decodeProof(receipt.proof);
  if (!proof) {
    mismatches.push({ check: "inclusion proof", detail: "not a list of base64 SHA-256 hashes" });
  } else if (line !== null) {
    // The leaf is hashed from the line we built, not from the served entry: a forged entry
    // cannot prove itself.
    try {
      checkRecord(proof, checkpoint.size, checkpoint.hash, receipt.index, entryLeafHash(line));
    } catch (err) {
      mismatches.push({
        check: `inclusion proof of entry ${receipt.index} against the signed root of tree size ${checkpoint.size}`,
        detail: errorText(err),
      });
    }
  }
  // The tlog-proof text travels on its own (e.g. beside a lock file), so it must prove the
  // same thing as the JSON fields.
  if (line !== null && typeof receipt.tlogProof === "string") {
    try {
      const p = verifyTlogProof(receipt.tlogProof, { entry: line, verifierKey, origin: checkpoint.origin });
      if (p.index !== receipt.index)
        mismatches.push({ check: "tlog-proof index", expected: String(receipt.index), actual: String(p.index) });
    } catch (err) {
      mismatches.push({ check: "tlog-proof text", detail: errorText(err) });
    }
  }
  if (mismatches.length > 0) throw new VerificationError(subject, mismatches);
  return checkpoint;
}

export function decodeProof(proof: unknown): Hash[] | null {
  if (!Array.isArray(proof)) return null;
  const out: Hash[] = [];
  for (const p of proof) {
    const h = typeof p === "string" ? parseHash(p) : null;
    if (!h) return null;
    out.push(h);
  }
  return out;
}

export function describeCheckpoint(c: Checkpoint): string {
  return `${c.origin} size ${c.size} root ${formatHash(c.hash)}`;
}

export function errorText(err: unknown): string {
  if (isLogError(err)) return `${err.message} [${err.code}]`;
  return err instanceof Error ? err.message : String(err);
}
