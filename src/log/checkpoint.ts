// C2SP tlog-checkpoint: the signed tree head. The note text is
//   <origin>\n<decimal tree size>\n<base64 root hash>\n[<extension line>\n ...]
// and is signed (signed-note, Ed25519) by the log's key, whose name is the origin.
import { parseDecimal } from "../util/bytes";
import { LogVerificationError, fail } from "./errors";
import { HASH_SIZE, formatHash, parseHash, type Hash } from "./hash";
import { openNote, parseSignerKey, parseVerifierKey, signNote, type NoteVerifier, type SignerKey } from "./note";
import { MAX_TREE_SIZE } from "./tree";

export interface Checkpoint {
  /** The log's identity, e.g. `registry.example/v1/log`; also the signing key's name. */
  origin: string;
  /** Number of entries in the tree. */
  size: number;
  /** RFC 6962 root hash of the tree of that size. */
  hash: Hash;
  /** Opaque extension lines (not recommended by the spec; kept verbatim). */
  extensions?: string[];
}

export interface SignedCheckpoint {
  checkpoint: Checkpoint;
  /** The signed note exactly as received. */
  note: string;
}

export function formatCheckpoint(c: Checkpoint): string {
  if (c.origin.length === 0 || c.origin.includes("\n"))
    fail("malformed_checkpoint", "checkpoint origin must be a non-empty line");
  if (!Number.isSafeInteger(c.size) || c.size < 0 || c.size > MAX_TREE_SIZE)
    fail("malformed_checkpoint", `tree size ${c.size} out of range`);
  if (!(c.hash instanceof Uint8Array) || c.hash.length !== HASH_SIZE)
    fail("malformed_checkpoint", "checkpoint hash is not 32 bytes");
  for (const line of c.extensions ?? []) {
    if (line.length === 0 || line.includes("\n"))
      fail("malformed_checkpoint", "extension lines must be non-empty lines");
  }
  return [c.origin, String(c.size), formatHash(c.hash), ...(c.extensions ?? [])].map((l) => `${l}\n`).join("");
}

/** Parses checkpoint text strictly: three or more non-empty lines, canonical size and hash. */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith("\n")) fail("malformed_checkpoint", "checkpoint must end in a newline");
  const lines = text.slice(0, -1).split("\n");
  if (lines.length < 3 || lines.some((l) => l.length === 0))
    fail("malformed_checkpoint", "checkpoint must have at least three non-empty lines");
  const [origin, sizeText, hashText, ...extensions] = lines as [string, string, string, ...string[]];
  const size = parseDecimal(sizeText);
  if (size === null || size > MAX_TREE_SIZE)
    fail("malformed_checkpoint", `malformed tree size ${JSON.stringify(sizeText)}`);
  const hash = parseHash(hashText);
  if (!hash) fail("malformed_checkpoint", "malformed root hash");
  return extensions.length > 0 ? { origin, size, hash, extensions } : { origin, size, hash };
}

/** Signs a checkpoint; the signer's key name must be the checkpoint's origin. */
export function signCheckpoint(c: Checkpoint, signer: SignerKey | string): string {
  const key = typeof signer === "string" ? parseSignerKey(signer) : signer;
  if (key.name !== c.origin) fail("origin_mismatch", `the key ${key.name} cannot sign checkpoints of ${c.origin}`);
  return signNote(formatCheckpoint(c), key);
}

/**
 * Opens a signed checkpoint: the verifier key must be the one for `expectedOrigin`, it must
 * have signed the note (other signatures, e.g. witnesses, are ignored), and the checkpoint's
 * origin must be `expectedOrigin`.
 */
export function openCheckpoint(
  message: string,
  verifierKey: string | NoteVerifier,
  expectedOrigin: string,
): SignedCheckpoint {
  const verifier = typeof verifierKey === "string" ? parseVerifierKey(verifierKey) : verifierKey;
  if (verifier.name !== expectedOrigin)
    fail("origin_mismatch", `the key ${verifier.name} is not the key of ${expectedOrigin}`);
  let text: string;
  try {
    text = openNote(message, verifier).text;
  } catch (e) {
    if (e instanceof LogVerificationError && e.code === "malformed_note")
      fail("malformed_checkpoint", `malformed signed checkpoint: ${e.message}`);
    throw e;
  }
  const checkpoint = parseCheckpoint(text);
  if (checkpoint.origin !== expectedOrigin)
    fail("origin_mismatch", `checkpoint is for ${checkpoint.origin}, not ${expectedOrigin}`);
  return { checkpoint, note: message };
}
