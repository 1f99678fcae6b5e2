// RFC 6962 §2.1 hashing: the leaf and interior-node hashes of the log's Merkle tree.
// Domain separation (0x00 for leaves, 0x01 for nodes) keeps a leaf from posing as a node.
import { sha256 } from "@noble/hashes/sha2.js";
import { decodeBase64, encodeBase64, utf8 } from "../util/bytes";

/** A SHA-256 hash: always exactly 32 bytes. */
export type Hash = Uint8Array;

export const HASH_SIZE = 32;

/** MTH({}) = SHA-256() — the hash of the empty tree (RFC 6962 §2.1). Do not mutate. */
export const EMPTY_TREE_HASH: Hash = sha256(new Uint8Array(0));

/** SHA-256(0x00 || data): the hash of one record. Strings are hashed as UTF-8. */
export function leafHash(data: Uint8Array | string): Hash {
  const bytes = typeof data === "string" ? utf8(data) : data;
  const buf = new Uint8Array(1 + bytes.length);
  buf[0] = 0x00;
  buf.set(bytes, 1);
  return sha256(buf);
}

/** SHA-256(0x01 || left || right): the hash of an interior node. */
export function nodeHash(left: Hash, right: Hash): Hash {
  const buf = new Uint8Array(1 + 2 * HASH_SIZE);
  buf[0] = 0x01;
  buf.set(left, 1);
  buf.set(right, 1 + HASH_SIZE);
  return sha256(buf);
}

export function formatHash(h: Hash): string {
  return encodeBase64(h);
}

/** Parses a base64 hash (strict, canonical, 32 bytes), or returns null. */
export function parseHash(text: string): Hash | null {
  const h = decodeBase64(text);
  return h && h.length === HASH_SIZE ? h : null;
}
