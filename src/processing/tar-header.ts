// One 512-byte tar header, read only if every mainstream reader (GNU tar, Python's tarfile,
// Go's archive/tar, node-tar) would read it the same way; anything else is refused with a code.
// Each rule names the reader that would disagree; docs/archive-rules.md lists them.
import { RegistryError, quote } from "../domain/errors";

export const BLOCK = 512;

export interface TarHeader {
  /** The typeflag character ("0", "\0", "5", "x", "L", …). */
  type: string;
  size: number;
  /** The name field, up to its NUL (undecoded: an extended header's name may be cut mid-character). */
  name: Uint8Array;
  /** POSIX ustar prefix field (always empty for GNU headers, whose prefix area must be zero). */
  prefix: Uint8Array;
  gnu: boolean;
  /** Whether the linkname field holds anything. */
  hasLinkname: boolean;
}

const latin1 = new TextDecoder("latin1");
/** Octal digits after optional spaces, then only NUL/space padding (GNU tar, Go and Python agree). */
const OCTAL = /^ *[0-7]+[ \0]*$/;
/** node-tar reads the checksum from 12 bytes, into the typeflag, unless a NUL or space ends it. */
const CHECKSUM = /^ *[0-7]+[ \0]+$/;

/**
 * Reads the header at `off`. `first` says whether it is the archive's first block, where a
 * wrong checksum or magic means "not a tar at all" rather than "a corrupt one".
 */
export function readHeader(block: Uint8Array, off: number, first: boolean): TarHeader {
  checkChecksum(block, off, first);
  const magic = latin1.decode(block.subarray(257, 263));
  const version = latin1.decode(block.subarray(263, 265));
  const posix = magic === "ustar\0" && version === "00";
  const gnu = magic === "ustar " && version === " \0";
  if (!posix && !gnu) {
    if (!magic.startsWith("ustar")) throw notTar(first, `the tar header at offset ${off} is not ustar/pax/GNU format`);
    // node-tar ignores a prefix unless the version is "00"; Go and GNU tar use it (case 3 of issue 11).
    throw ambiguous(
      `the tar header at offset ${off} has magic ${quote(magic)} with version ${quote(version)}; only POSIX "ustar\\0" "00" and GNU "ustar " " \\0" are accepted`,
    );
  }
  // All NUL is 0 to GNU tar, Go and Python: node-tar leaves ids and a directory's mtime empty
  // when `portable`, GNU tar the device numbers outside device entries.
  for (const [name, at, len] of OPTIONAL_NUMBERS) {
    const field = block.subarray(at, at + len);
    if (!isZero(field)) number(field, name, off);
  }
  const mode = number(block.subarray(100, 108), "mode", off);
  if (mode > 0o777) {
    throw new RegistryError(
      "unsupported_tar_entry",
      `the tar header at offset ${off} has mode ${mode.toString(8)}; only permission bits (at most 777) are allowed, no setuid, setgid, sticky or file-type bits`,
    );
  }
  // Go, Python and GNU tar read a GNU header's prefix area as a path prefix, as times or not at all (case 2).
  if (gnu && !isZero(block.subarray(345, 500))) {
    throw ambiguous(
      `the GNU tar header at offset ${off} has data in its prefix area; tar readers disagree on whether it is part of the path`,
    );
  }
  // Go takes a "tar\0" trailer here for a star header, with a shorter prefix and times after it.
  if (!isZero(block.subarray(500, BLOCK)))
    throw ambiguous(`the tar header at offset ${off} has data in its unused last 12 bytes`);
  const name = text(block, 0, 100, "name", off);
  const prefix = prefixField(block, off);
  text(block, 265, 32, "owner name", off);
  text(block, 297, 32, "group name", off);
  const linkname = text(block, 157, 100, "link name", off);
  if (name.length === 0) throw new RegistryError("corrupt_tar", `the tar header at offset ${off} has an empty name`);
  return {
    type: String.fromCharCode(block[156] as number),
    size: number(block.subarray(124, 136), "size", off),
    name,
    prefix,
    gnu,
    hasLinkname: linkname.length > 0,
  };
}

const OPTIONAL_NUMBERS = [
  ["uid", 108, 8],
  ["gid", 116, 8],
  ["mtime", 136, 12],
  ["devmajor", 329, 8],
  ["devminor", 337, 8],
] as const;

/** A numeric field in canonical octal; base-256 and anything a reader could read otherwise are refused. */
function number(field: Uint8Array, what: string, off: number): number {
  if ((field[0] as number) & 0x80)
    throw new RegistryError(
      "unsupported_tar_entry",
      `a tar header uses a base-256 ${what} field; only octal numbers are supported`,
    );
  const value = latin1.decode(field);
  // Python also takes "0o17", "+17", "1_7" or tabs; node-tar takes "17x" as 15; Go refuses them.
  if (!OCTAL.test(value))
    throw new RegistryError(
      "corrupt_tar",
      `the tar header at offset ${off} has a malformed ${what} field ${quote(value)}`,
    );
  return parseInt(value, 8);
}

/**
 * The POSIX prefix. After a prefix of at most 130 bytes, node-tar (not `portable`) writes access
 * and change times at 476-499, star style; every reader stops the prefix at its NUL and so
 * agrees on the path, so two canonical octal fields are allowed there and nothing else.
 */
function prefixField(block: Uint8Array, off: number): Uint8Array {
  const field = block.subarray(345, 500);
  const end = field.indexOf(0);
  if (end < 0 || end > 130 || isZero(field.subarray(end))) return text(block, 345, 155, "prefix", off);
  if (!isZero(field.subarray(end, 131)))
    throw ambiguous(`the prefix field of the tar header at offset ${off} has bytes after its terminating NUL`);
  for (const [name, at] of [
    ["access time", 476],
    ["change time", 488],
  ] as const) {
    const time = block.subarray(at, at + 12);
    if (!isZero(time)) number(time, name, off);
  }
  return field.subarray(0, end);
}

/** A NUL-terminated string field; bytes after the NUL are hidden from some readers, so refused. */
function text(block: Uint8Array, at: number, len: number, what: string, off: number): Uint8Array {
  const field = block.subarray(at, at + len);
  const end = field.indexOf(0);
  if (end < 0) return field;
  if (!isZero(field.subarray(end)))
    throw ambiguous(`the ${what} field of the tar header at offset ${off} has bytes after its terminating NUL`);
  return field.subarray(0, end);
}

/** The stored checksum must be the unsigned sum; node-tar refuses the signed one GNU tar, Go and Python accept. */
function checkChecksum(block: Uint8Array, off: number, first: boolean): void {
  const field = latin1.decode(block.subarray(148, 156));
  if (!OCTAL.test(field)) throw notTar(first, `the tar header at offset ${off} has a wrong checksum`);
  if (!CHECKSUM.test(field))
    throw ambiguous(`the checksum field of the tar header at offset ${off} has no NUL or space after its digits`);
  const stored = parseInt(field, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : (block[i] as number);
    unsigned += b;
    signed += b >= 0x80 ? b - 0x100 : b;
  }
  if (stored === unsigned) return;
  if (stored === signed)
    throw ambiguous(`the tar header at offset ${off} has a signed checksum; node-tar reads only unsigned ones`);
  throw notTar(first, `the tar header at offset ${off} has a wrong checksum`);
}

export function isZero(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

export function ambiguous(why: string): RegistryError {
  return new RegistryError(
    "ambiguous_tar",
    `${why}; tar readers would not all unpack the same files from it (only the canonical tar subset is accepted, which \`ori-registry pack\` writes)`,
  );
}

export function notTar(first: boolean, why: string): RegistryError {
  return first
    ? new RegistryError(
        "not_tar",
        `the decompressed archive is not a tar file (${why}); an .oripk is a gzip-compressed tar`,
      )
    : new RegistryError("corrupt_tar", `the tar data is corrupt: ${why}`);
}
