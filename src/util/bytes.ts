// The one module of byte helpers, shared by the Worker, the log, processing and the client:
// lowercase hex, strict standard base64 (RFC 4648 §4, padded, canonical), UTF-8, SHA-256 and
// constant-time comparison. Runtime-neutral (web APIs only).

/** A SHA-256 digest's digits as toHex writes them (64, lowercase): the source every pattern builds on. */
export const SHA256_DIGITS = "[0-9a-f]{64}";
/** A SHA-256 digest alone, as every module checks it. */
export const SHA256_HEX = new RegExp(`^${SHA256_DIGITS}$`);

export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

/** Byte equality without an early exit, so timing does not reveal a common prefix. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** The SHA-256 of bytes (or of a string's UTF-8), with WebCrypto. */
export async function sha256Bytes(data: string | Uint8Array): Promise<Uint8Array> {
  const input = typeof data === "string" ? new TextEncoder().encode(data) : data;
  return new Uint8Array(await crypto.subtle.digest("SHA-256", input as Uint8Array<ArrayBuffer>));
}

export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  return toHex(await sha256Bytes(data));
}

/**
 * Lowercase hex to standard padded base64 in one pass, with no bytes in between: every download
 * answers its sha256 this way (Repr-Digest), and the general path (fromHex, then encodeBase64)
 * was a few per cent of a download's isolate time in a profile (docs/performance.md).
 */
export function hexToBase64(hex: string): string {
  if (hex.length % 2 !== 0) throw new TypeError("not lowercase hex of even length");
  const n = hex.length / 2;
  const byte = (i: number): number => {
    const hi = nibble(hex.charCodeAt(2 * i));
    const lo = nibble(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) throw new TypeError("not lowercase hex of even length");
    return (hi << 4) | lo;
  };
  let out = "";
  let i = 0;
  for (; i + 3 <= n; i += 3) {
    const v = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out += B64[v >> 18]! + B64[(v >> 12) & 63]! + B64[(v >> 6) & 63]! + B64[v & 63]!;
  }
  if (n - i === 1) {
    const v = byte(i) << 16;
    out += B64[v >> 18]! + B64[(v >> 12) & 63]! + "==";
  } else if (n - i === 2) {
    const v = (byte(i) << 16) | (byte(i + 1) << 8);
    out += B64[v >> 18]! + B64[(v >> 12) & 63]! + B64[(v >> 6) & 63]! + "=";
  }
  return out;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** A lowercase hex digit's value, or -1. */
function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  return -1;
}

const B64_SHAPE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function encodeBase64(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

/**
 * Decodes standard padded base64, or returns null. Only the canonical encoding is accepted
 * (no whitespace, no missing padding, no non-zero padding bits), so each byte string has
 * exactly one accepted text form.
 */
export function decodeBase64(text: string): Uint8Array | null {
  if (!B64_SHAPE.test(text)) return null;
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return encodeBase64(out) === text ? out : null;
}

/** Decodes lowercase hex of even length, or returns null. */
export function fromHex(hex: string): Uint8Array | null {
  if (!/^(?:[0-9a-f]{2})*$/.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes UTF-8, or returns null if the bytes are not valid UTF-8. */
export function fromUtf8(bytes: Uint8Array): string | null {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return null;
  }
}

/** True if the string holds a lone UTF-16 surrogate (which has no UTF-8 encoding). */
export function hasLoneSurrogate(text: string): boolean {
  return /\p{Cs}/u.test(text);
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Canonical decimal: digits, no sign, no leading zeros (except "0" itself), a safe integer. */
export function parseDecimal(text: string): number | null {
  if (!/^(?:0|[1-9][0-9]*)$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}
