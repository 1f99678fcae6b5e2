// C2SP signed-note with Ed25519 keys, compatible with golang.org/x/mod/sumdb/note: key
// strings, signing, and opening a note against trusted verifier keys.
//   verifier key: <name>+<8 hex key id>+<base64(0x01 || 32-byte public key)>
//   signer key:   PRIVATE+KEY+<name>+<8 hex key id>+<base64(0x01 || 32-byte seed)>
//   key id:       first 4 bytes (big-endian uint32) of SHA-256(name || "\n" || 0x01 || public key)
//   signed note:  text (ending "\n"), a blank line, then lines "— <name> <base64(key id || sig)>\n"
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, decodeBase64, encodeBase64, fromUtf8, hasLoneSurrogate, utf8 } from "../util/bytes";
import { fail } from "./errors";

const ALG_ED25519 = 0x01;
/** Open refuses notes with more signatures than this (as Go's note.Open does). */
export const MAX_SIGNATURES = 100;
const SIG_PREFIX = "— "; // U+2014 EM DASH, space

export interface NoteVerifier {
  readonly name: string;
  /** The key id, a uint32. */
  readonly keyId: number;
  /** The verifier key string this verifier was built from. */
  readonly verifierKey: string;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

export interface SignerKey {
  readonly name: string;
  readonly keyId: number;
  /** The matching public verifier key string (safe to publish). */
  readonly verifierKey: string;
  sign(message: Uint8Array): Uint8Array;
}

export interface NoteSignature {
  name: string;
  keyId: number;
  /** The signature as it appears in the note: base64(key id || signature). */
  base64: string;
}

export interface OpenedNote {
  /** The signed text, including its final newline. */
  text: string;
  /** Signatures by the given verifiers, all verified. */
  signatures: NoteSignature[];
  /** Signatures by keys we were not given (ignored, as the spec requires). */
  unverified: NoteSignature[];
}

/** Key names are non-empty, valid Unicode, without Unicode white space or "+". */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !hasLoneSurrogate(name) && !/[\p{White_Space}+]/u.test(name);
}

/** SHA-256(name || "\n" || 0x01 || public key)[:4] as a uint32. */
export function keyId(name: string, publicKey: Uint8Array): number {
  const h = sha256(concatBytes(utf8(`${name}\n`), new Uint8Array([ALG_ED25519]), publicKey));
  return ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0;
}

const hex8 = (id: number) => id.toString(16).padStart(8, "0");

/** Splits "a+b+rest" into [a, b, rest]: only the first separators count (base64 may hold "+"). */
function splitKey(text: string, parts: number): string[] | null {
  const out: string[] = [];
  let rest = text;
  for (let i = 0; i < parts - 1; i++) {
    const at = rest.indexOf("+");
    if (at < 0) return null;
    out.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  out.push(rest);
  return out;
}

/** Decodes the id and key fields shared by both key strings: [keyId, 32-byte key]. */
function decodeKeyFields(name: string, id: string, key64: string, what: string): [number, Uint8Array] {
  const key = decodeBase64(key64);
  if (!isValidKeyName(name) || !/^[0-9a-fA-F]{8}$/.test(id) || !key || key.length === 0)
    fail("malformed_key", `malformed ${what}`);
  if (key[0] !== ALG_ED25519) fail("malformed_key", `${what} uses an unknown algorithm (${key[0]})`);
  if (key.length !== 33) fail("malformed_key", `malformed ${what}: an Ed25519 key is 32 bytes`);
  return [parseInt(id, 16), key.subarray(1)];
}

export function parseVerifierKey(vkey: string): NoteVerifier {
  const parts = splitKey(vkey, 3);
  if (!parts) fail("malformed_key", "malformed verifier key");
  const [name, id, key64] = parts as [string, string, string];
  const [hash, publicKey] = decodeKeyFields(name, id, key64, "verifier key");
  if (hash !== keyId(name, publicKey)) fail("malformed_key", "verifier key id does not match its key");
  return {
    name,
    keyId: hash,
    verifierKey: vkey,
    verify: (message, signature) => {
      try {
        return ed25519.verify(signature, message, publicKey, { zip215: false });
      } catch {
        return false;
      }
    },
  };
}

export function parseSignerKey(skey: string): SignerKey {
  const parts = splitKey(skey, 5);
  if (!parts || parts[0] !== "PRIVATE" || parts[1] !== "KEY") fail("malformed_key", "malformed signer key");
  const [, , name, id, key64] = parts as [string, string, string, string, string];
  const [hash, seed] = decodeKeyFields(name, id, key64, "signer key");
  const publicKey = ed25519.getPublicKey(seed);
  // The id is the hash of the public key, so it can only be checked after deriving it.
  if (hash !== keyId(name, publicKey)) fail("malformed_key", "signer key id does not match its key");
  const secret = seed.slice();
  return {
    name,
    keyId: hash,
    verifierKey: verifierKeyFor(name, publicKey),
    sign: (message) => ed25519.sign(message, secret),
  };
}

/** The verifier key string of a name and a 32-byte Ed25519 public key. */
export function verifierKeyFor(name: string, publicKey: Uint8Array): string {
  if (!isValidKeyName(name)) fail("malformed_key", `invalid key name ${JSON.stringify(name)}`);
  if (publicKey.length !== 32) fail("malformed_key", "an Ed25519 public key is 32 bytes");
  const typed = concatBytes(new Uint8Array([ALG_ED25519]), publicKey);
  return `${name}+${hex8(keyId(name, publicKey))}+${encodeBase64(typed)}`;
}

/** A new random key pair, as Go's note.GenerateKey writes it. Keep `signer` secret. */
export function generateKey(name: string): { signer: string; verifier: string } {
  const seed = ed25519.utils.randomSecretKey();
  const verifier = verifierKeyFor(name, ed25519.getPublicKey(seed));
  const id = verifier.split("+")[1]!;
  return {
    signer: `PRIVATE+KEY+${name}+${id}+${encodeBase64(concatBytes(new Uint8Array([ALG_ED25519]), seed))}`,
    verifier,
  };
}

/** Signs text (which must end in "\n") and returns the signed note. */
export function signNote(text: string, signer: SignerKey | string): string {
  const key = typeof signer === "string" ? parseSignerKey(signer) : signer;
  if (!text.endsWith("\n") || hasLoneSurrogate(text) || /[\u0000-\u0009\u000b-\u001f]/.test(text)) {
    fail("malformed_note", "note text must be valid Unicode without control characters, ending in a newline");
  }
  if (!isValidKeyName(key.name)) fail("malformed_key", "invalid signer name");
  const sig = key.sign(utf8(text));
  const id = new Uint8Array([key.keyId >>> 24, (key.keyId >>> 16) & 0xff, (key.keyId >>> 8) & 0xff, key.keyId & 0xff]);
  return `${text}\n${SIG_PREFIX}${key.name} ${encodeBase64(concatBytes(id, sig))}\n`;
}

/**
 * Opens a signed note: parses it strictly, verifies every signature by a known key, and
 * requires at least one. Throws malformed_note, bad_signature (a known key's signature fails:
 * the whole note is rejected) or unknown_key (no signature by a known key).
 */
export function openNote(message: string | Uint8Array, verifiers: NoteVerifier | NoteVerifier[]): OpenedNote {
  const msg = typeof message === "string" ? (hasLoneSurrogate(message) ? null : message) : fromUtf8(message);
  if (msg === null) fail("malformed_note", "note is not valid UTF-8");
  // Only newline among the ASCII control characters.
  if (/[\u0000-\u0009\u000b-\u001f]/.test(msg)) fail("malformed_note", "note contains control characters");
  const split = msg.lastIndexOf("\n\n");
  if (split < 0) fail("malformed_note", "note has no signature block");
  const text = msg.slice(0, split + 1);
  const sigBlock = msg.slice(split + 2);
  if (sigBlock.length === 0 || !sigBlock.endsWith("\n"))
    fail("malformed_note", "note has no signatures, or does not end in a newline");

  const known = Array.isArray(verifiers) ? verifiers : [verifiers];
  const textBytes = utf8(text);
  const out: OpenedNote = { text, signatures: [], unverified: [] };
  const seen = new Set<string>();
  const seenUnverified = new Set<string>();
  const lines = sigBlock.slice(0, -1).split("\n");
  if (lines.length > MAX_SIGNATURES) fail("malformed_note", `note has more than ${MAX_SIGNATURES} signatures`);
  for (const line of lines) {
    if (!line.startsWith(SIG_PREFIX)) fail("malformed_note", "malformed signature line");
    const body = line.slice(SIG_PREFIX.length);
    const space = body.indexOf(" ");
    const name = space < 0 ? body : body.slice(0, space);
    const b64 = space < 0 ? "" : body.slice(space + 1);
    const raw = decodeBase64(b64);
    if (!raw || !isValidKeyName(name) || raw.length < 5) fail("malformed_note", "malformed signature line");
    const id = ((raw[0]! << 24) | (raw[1]! << 16) | (raw[2]! << 8) | raw[3]!) >>> 0;
    const sig: NoteSignature = { name, keyId: id, base64: b64 };

    const matches = known.filter((v) => v.name === name && v.keyId === id);
    if (matches.length > 1) fail("invalid_argument", `ambiguous key ${name}+${hex8(id)}`);
    const verifier = matches[0];
    if (!verifier) {
      // Unknown keys are ignored (that allows key rotation and witness cosignatures).
      if (!seenUnverified.has(line)) out.unverified.push(sig);
      seenUnverified.add(line);
      continue;
    }
    const key = `${name}+${id}`;
    if (seen.has(key)) continue; // a repeated signature by one key counts once
    seen.add(key);
    if (!verifier.verify(textBytes, raw.subarray(4)))
      fail("bad_signature", `invalid signature by key ${name}+${hex8(id)}`);
    out.signatures.push(sig);
  }
  if (out.signatures.length === 0) fail("unknown_key", "note has no signature by a known key");
  return out;
}
