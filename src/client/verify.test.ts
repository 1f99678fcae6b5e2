// Archive and inclusion verification against a throwaway log and key: every forgery is named.
import { describe, expect, it } from "vitest";
import { sha256 } from "@noble/hashes/sha2.js";
import { VerificationError } from "./errors";
import { verifyArchive, verifyInclusion } from "./verify";
import { TestLog } from "./test-log";
import { encodeBase64, toHex } from "../util/bytes";
import { generateKey } from "../log/note";
import { signCheckpoint } from "../log/checkpoint";
import { formatHash, leafHash } from "../log/hash";

const archive = new TextEncoder().encode("pretend this is a gzip archive");
const hex = toHex(sha256(archive));

function failure(fn: () => unknown): VerificationError {
  try {
    fn();
  } catch (err) {
    if (err instanceof VerificationError) return err;
    throw err;
  }
  throw new Error("expected a VerificationError");
}

function fixture() {
  const log = new TestLog();
  log.publish("@acme/other", "0.1.0", "x");
  log.publish("@acme/http", "1.0.0", archive);
  log.publish("@acme/more", "2.0.0", "y");
  return { log, receipt: log.receipt(1), expected: { name: "@acme/http", version: "1.0.0", sha256: hex, logIndex: 1 } };
}

describe("verifyArchive", () => {
  it("accepts bytes matching metadata, ETag and Repr-Digest", () => {
    expect(
      verifyArchive("a", archive, { sha256: hex, etag: hex, reprDigest: `sha-256=:${encodeBase64(sha256(archive))}:` }),
    ).toBe(hex);
  });

  it("names every claim a tampered archive does not match", () => {
    const tampered = new Uint8Array(archive);
    tampered[0]! ^= 1;
    const err = failure(() =>
      verifyArchive("@acme/http@1.0.0", tampered, {
        sha256: hex,
        etag: hex,
        reprDigest: `sha-256=:${encodeBase64(sha256(archive))}:`,
      }),
    );
    expect(err.mismatches.map((m) => m.check)).toEqual([
      "archive sha256 vs the registry's metadata",
      "archive sha256 vs the ETag header",
      "archive sha256 vs the Repr-Digest header",
    ]);
    expect(err.mismatches[0]!.expected).toBe(hex);
    expect(err.message).toContain("@acme/http@1.0.0");
  });
});

describe("verifyInclusion", () => {
  it("accepts a genuine receipt and returns the signed checkpoint", () => {
    const { log, receipt, expected } = fixture();
    const cp = verifyInclusion("x", receipt, expected, log.key.verifier);
    expect(cp.size).toBe(3);
    expect(cp.origin).toBe("registry.test/v1/log");
  });

  it("rejects an entry with another checksum (the lock or metadata disagree with the log)", () => {
    const { log, receipt, expected } = fixture();
    const err = failure(() => verifyInclusion("x", receipt, { ...expected, sha256: "0".repeat(64) }, log.key.verifier));
    expect(err.mismatches.map((m) => m.check)).toContain("log entry");
    expect(err.mismatches.some((m) => m.check.startsWith("inclusion proof"))).toBe(true);
  });

  it("rejects a forged entry even when the served entry text is made to match", () => {
    const { log, receipt, expected } = fixture();
    const forged = { ...receipt, entry: `@acme/http 1.0.0 sha256:${"0".repeat(64)}\n` };
    const err = failure(() => verifyInclusion("x", forged, { ...expected, sha256: "0".repeat(64) }, log.key.verifier));
    expect(err.mismatches.map((m) => m.check)).toEqual([
      expect.stringMatching(/^inclusion proof of entry 1/),
      "tlog-proof text",
    ]);
  });

  it("rejects a forged proof", () => {
    const { log, receipt, expected } = fixture();
    const forged = { ...receipt, proof: [formatHash(leafHash("evil")), ...receipt.proof.slice(1)] };
    const err = failure(() => verifyInclusion("x", forged, expected, log.key.verifier));
    expect(err.mismatches[0]!.check).toMatch(/^inclusion proof/);
    expect(err.mismatches[0]!.detail).toContain("bad_proof");
  });

  it("rejects a proof that is not a list of hashes", () => {
    const { log, receipt, expected } = fixture();
    const err = failure(() => verifyInclusion("x", { ...receipt, proof: ["not base64!"] }, expected, log.key.verifier));
    expect(err.mismatches[0]!.check).toBe("inclusion proof");
  });

  it("rejects a checkpoint signed by another key (wrong key)", () => {
    const { receipt, expected } = fixture();
    const other = generateKey("registry.test/v1/log");
    const err = failure(() => verifyInclusion("x", receipt, expected, other.verifier));
    expect(err.mismatches[0]!.check).toMatch(/^checkpoint signature/);
    expect(err.mismatches[0]!.detail).toContain("unknown_key");
  });

  it("rejects a checkpoint re-signed by an attacker for a forged tree", () => {
    const { log, receipt, expected } = fixture();
    const attacker = generateKey(log.origin);
    const forgedCp = signCheckpoint({ origin: log.origin, size: 3, hash: leafHash("evil") }, attacker.signer);
    const err = failure(() => verifyInclusion("x", { ...receipt, checkpoint: forgedCp }, expected, log.key.verifier));
    expect(err.mismatches[0]!.detail).toContain("unknown_key");
  });

  it("rejects a different log index than the metadata claims", () => {
    const { log, receipt, expected } = fixture();
    const err = failure(() => verifyInclusion("x", receipt, { ...expected, logIndex: 2 }, log.key.verifier));
    expect(err.mismatches.map((m) => m.check)).toEqual(["log index vs the registry's metadata"]);
  });

  it("rejects a tree size that is not the checkpoint's", () => {
    const { log, receipt, expected } = fixture();
    const err = failure(() => verifyInclusion("x", { ...receipt, treeSize: 99 }, expected, log.key.verifier));
    expect(err.mismatches.map((m) => m.check)).toEqual(["tree size vs the signed checkpoint"]);
  });
});
