// A throwaway transparency log for tests: a MemoryLog with its own signing key, producing the
// receipts and consistency proofs the registry would serve. Not used by production code.
import { sha256 } from "@noble/hashes/sha2.js";
import { MemoryLog } from "../log/memory-log";
import { generateKey } from "../log/note";
import { signCheckpoint } from "../log/checkpoint";
import { formatEntry } from "../log/entry";
import { formatHash } from "../log/hash";
import { proveRecord, proveTree } from "../log/proof";
import { formatProof } from "../log/proof-text";
import { toHex } from "../util/bytes";
import type { LogReceipt } from "../api/shapes";

export class TestLog {
  readonly log = new MemoryLog();
  readonly key: { signer: string; verifier: string };

  constructor(readonly origin = "registry.test/v1/log") {
    this.key = generateKey(origin);
  }

  /** Appends `name version sha256(bytes)` and returns the archive's sha256 hex. */
  publish(name: string, version: string, archive: Uint8Array | string): string {
    const sha = toHex(sha256(typeof archive === "string" ? new TextEncoder().encode(archive) : archive));
    this.log.append(formatEntry(name, version, sha));
    return sha;
  }

  checkpoint(size = this.log.size): string {
    return signCheckpoint({ origin: this.origin, size, hash: this.log.treeHash(size) }, this.key.signer);
  }

  receipt(index: number, size = this.log.size): LogReceipt {
    const checkpoint = this.checkpoint(size);
    const proof = proveRecord(size, index, this.log).map(formatHash);
    const entry = new TextDecoder().decode(this.log.entries[index]!);
    return { index, entry, treeSize: size, checkpoint, proof, tlogProof: formatProof({ index, proof, checkpoint }) };
  }

  consistency(from: number, to: number): string[] {
    return proveTree(to, from, this.log).map(formatHash);
  }
}
