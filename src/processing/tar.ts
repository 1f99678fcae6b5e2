// A strict ustar/pax reader for package archives. It accepts only what every other tar reader
// would read the same way (regular files and directories, safe relative paths, each once), so
// the registry and the clients that unpack an archive can never disagree about its contents.
//
// DECISIONS: pax `x` headers may set `path` and `size` (other keys are ignored); pax `g` headers
// are ignored unless they set path/size/linkpath, which is rejected (readers disagree on them);
// GNU long names (`L`) are supported, `K` (long link name) is a link; two extended headers for
// one entry are rejected. The end-of-archive marker may be missing (gzip's CRC already proves
// the stream is whole), but anything after it must be zero padding. Base-256 sizes are rejected.
import { RegistryError, quote } from "../domain/errors";
import { DEFAULT_LIMITS, type Limits } from "./limits";

export interface TarEntry {
  /** Relative, `/`-separated, without a trailing `/`. */
  path: string;
  type: "file" | "directory";
  /** A view into the tar bytes (empty for directories). */
  data: Uint8Array;
}

export type TarLimits = Pick<Limits, "maxEntries" | "maxFileBytes" | "maxPathBytes" | "maxPathDepth">;

const BLOCK = 512;
/** Extended headers carry a path or a few numbers; nothing legitimate comes near this. */
const MAX_META_BYTES = 64 * 1024;
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
const latin1 = new TextDecoder("latin1");

type Pending = { path?: string; size?: number; from: "pax" | "gnu" };

export function readTar(bytes: Uint8Array, limits: TarLimits = DEFAULT_LIMITS): TarEntry[] {
  if (bytes.length === 0) throw new RegistryError("not_tar", "the archive is empty: it must be a tar file inside gzip");
  const entries: TarEntry[] = [];
  const paths = new PathSet();
  let pending: Pending | null = null;
  let first = true;
  let counted = 0;
  let off = 0;
  while (off < bytes.length) {
    if (bytes.length - off < BLOCK) throw bad(first, `the tar data ends in the middle of a 512-byte block at offset ${off}`);
    const block = bytes.subarray(off, off + BLOCK);
    if (isZero(block)) {
      if (pending) throw bad(false, "an extended header is not followed by an entry");
      if (!isZero(bytes.subarray(off))) throw bad(first, "the tar data continues after its end-of-archive marker");
      break;
    }
    if (!checksumMatches(block)) throw bad(first, `the tar header at offset ${off} has a wrong checksum`);
    const magic = latin1.decode(block.subarray(257, 263));
    if (magic !== "ustar\0" && magic !== "ustar ") throw bad(first, `the tar header at offset ${off} is not ustar/pax/GNU format`);
    first = false;
    const type = String.fromCharCode(block[156] as number);
    let size = parseOctal(block.subarray(124, 136), "size");
    const dataStart = off + BLOCK;
    // pax/GNU headers are bounded by their entry (two in a row are rejected); global ones count.
    if (type !== "x" && type !== "L" && ++counted > limits.maxEntries) {
      throw new RegistryError("too_many_entries", `the archive has more than ${limits.maxEntries} entries, the most allowed`, { limit: limits.maxEntries });
    }

    if (type === "x" || type === "g" || type === "L") {
      if (size > MAX_META_BYTES) throw new RegistryError("corrupt_tar", `an extended tar header is ${size} bytes; at most ${MAX_META_BYTES} are allowed`);
      const data = slice(bytes, dataStart, size);
      off = dataStart + padded(size);
      if (type === "g") {
        checkGlobal(parsePax(data));
        continue;
      }
      if (pending) throw new RegistryError("corrupt_tar", "an entry has two extended headers (pax and/or GNU long name); write one");
      pending = type === "x" ? paxOverrides(parsePax(data)) : { path: decodePath(data.subarray(0, nulOr(data, data.length))), from: "gnu" };
      continue;
    }
    if (type === "1" || type === "2" || type === "K") {
      throw new RegistryError("link_not_allowed", `the archive contains a ${type === "1" ? "hard link" : "symbolic link"}; packages may only contain regular files and directories`);
    }
    if (type === "3" || type === "4" || type === "6" || type === "7") {
      const what = { "3": "character device", "4": "block device", "6": "FIFO", "7": "contiguous file" }[type];
      throw new RegistryError("special_file_not_allowed", `the archive contains a ${what}; packages may only contain regular files and directories`);
    }
    if (type !== "0" && type !== "\0" && type !== "5") {
      throw new RegistryError("unsupported_tar_entry", `the archive contains a tar entry of type ${quote(type)}; only regular files and directories are supported`);
    }

    const isDir = type === "5";
    let path = pending?.path ?? headerPath(block, magic === "ustar\0");
    if (pending?.size !== undefined) size = pending.size;
    pending = null;
    if (isDir && path.endsWith("/")) path = path.slice(0, -1);
    checkArchivePath(path, limits);
    if (isDir && size !== 0) throw new RegistryError("corrupt_tar", `the directory entry ${quote(path)} claims ${size} bytes of data`);
    if (size > limits.maxFileBytes) {
      throw new RegistryError("file_too_large", `${quote(path)} is ${size} bytes; files may be at most ${limits.maxFileBytes} bytes`, { path, limit: limits.maxFileBytes });
    }
    paths.add(path, isDir ? "directory" : "file");
    entries.push({ path, type: isDir ? "directory" : "file", data: slice(bytes, dataStart, size) });
    off = dataStart + padded(size);
  }
  if (pending) throw new RegistryError("corrupt_tar", "the tar data ends after an extended header, without its entry");
  return entries;
}

/** Throws `unsafe_path` unless `path` is a plain relative path that is safe on every OS. */
export function checkArchivePath(path: string, limits: Pick<Limits, "maxPathBytes" | "maxPathDepth"> = DEFAULT_LIMITS): void {
  const q = quote(path);
  const reject = (why: string): never => {
    throw new RegistryError("unsafe_path", `the archive path ${q} is not allowed: ${why}`, { path: path.slice(0, 300) });
  };
  if (path === "") reject("it is empty");
  if (/[\u0000-\u001f\u007f]/.test(path)) reject("it contains control characters");
  if (path.includes("\\")) reject("it contains a backslash; use / as the separator");
  if (path.startsWith("/")) reject("it is absolute; paths must be relative to the archive root");
  if (/^[A-Za-z]:/.test(path)) reject("it starts with a Windows drive letter");
  if (path.includes(":")) reject('it contains ":", which Windows cannot store');
  const bytes = new TextEncoder().encode(path).length;
  if (bytes > limits.maxPathBytes) reject(`it is ${bytes} bytes long; at most ${limits.maxPathBytes} are allowed`);
  const segments = path.split("/");
  for (const s of segments) {
    if (s === "") reject("it has an empty segment (a leading, trailing or doubled /)");
    if (s === "." || s === "..") reject(`it has a ${quote(s)} segment`);
  }
  if (segments.length > limits.maxPathDepth) reject(`it is ${segments.length} levels deep; at most ${limits.maxPathDepth} are allowed`);
}

/** Byte order of the UTF-8 encodings (the order of `LC_ALL=C sort`), used for tar and CHECKSUM. */
export function comparePaths(a: string, b: string): number {
  if (a === b) return 0;
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x.length - y.length;
}

/**
 * The paths of one archive. Rejects a path seen twice, a file that is also a directory (of an
 * explicit entry or implied by a deeper path), and paths equal up to case or Unicode
 * normalisation, which would overwrite each other on macOS and Windows.
 */
export class PathSet {
  private readonly entries = new Map<string, { path: string; type: "file" | "directory" }>();
  private readonly dirs = new Set<string>();

  add(path: string, type: "file" | "directory"): void {
    const key = foldKey(path);
    const clash = this.entries.get(key);
    if (clash) {
      if (clash.path === path && clash.type === type) throw duplicate(`${quote(path)} appears twice in the archive`, path);
      if (clash.path === path) throw duplicate(`${quote(path)} is both a file and a directory`, path);
      throw duplicate(`${quote(path)} and ${quote(clash.path)} differ only in letter case or Unicode normalisation`, path);
    }
    if (type === "file" && this.dirs.has(key)) throw duplicate(`${quote(path)} is both a file and a directory`, path);
    const segments = key.split("/");
    for (let i = 1; i < segments.length; i++) {
      const dir = segments.slice(0, i).join("/");
      if (this.entries.get(dir)?.type === "file") throw duplicate(`${quote(dir)} is both a file and a directory`, path);
      this.dirs.add(dir);
    }
    this.entries.set(key, { path, type });
  }
}

function foldKey(path: string): string {
  return path.normalize("NFC").toLowerCase();
}

function duplicate(message: string, path: string): RegistryError {
  return new RegistryError("duplicate_path", message, { path: path.slice(0, 300) });
}

function headerPath(block: Uint8Array, posix: boolean): string {
  const name = block.subarray(0, nulOr(block.subarray(0, 100), 100));
  // GNU headers reuse the prefix field for other data; only POSIX ustar has a path prefix.
  const prefixField = block.subarray(345, 500);
  const prefix = posix ? prefixField.subarray(0, nulOr(prefixField, 155)) : new Uint8Array(0);
  const path = decodePath(name);
  return prefix.length > 0 ? `${decodePath(prefix)}/${path}` : path;
}

function decodePath(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new RegistryError("unsafe_path", "an archive path is not valid UTF-8");
  }
}

/** Octal number field: optional leading spaces, digits, then NUL/space padding. */
function parseOctal(field: Uint8Array, what: string): number {
  if ((field[0] as number) & 0x80) throw new RegistryError("unsupported_tar_entry", `a tar header uses a base-256 ${what} field; only octal numbers are supported`);
  const text = latin1.decode(field).replace(/^ +/, "").replace(/[\0 ]+$/, "");
  if (!/^[0-7]*$/.test(text) || text.length > 17) throw new RegistryError("corrupt_tar", `a tar header has a malformed ${what} field`);
  return text === "" ? 0 : parseInt(text, 8);
}

function checksumMatches(block: Uint8Array): boolean {
  let stored: number;
  try {
    stored = parseOctal(block.subarray(148, 156), "checksum");
  } catch {
    return false;
  }
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : (block[i] as number);
    unsigned += b;
    signed += b >= 0x80 ? b - 0x100 : b;
  }
  return stored === unsigned || stored === signed;
}

/** pax records: `<len> <key>=<value>\n`, where `<len>` counts the whole record. */
function parsePax(data: Uint8Array): Map<string, string> {
  const records = new Map<string, string>();
  let i = 0;
  while (i < data.length) {
    let j = i;
    while (j < data.length && (data[j] as number) >= 0x30 && (data[j] as number) <= 0x39) j++;
    const len = Number(latin1.decode(data.subarray(i, j)));
    if (j === i || j - i > 7 || data[j] !== 0x20 || len <= j - i + 1 || i + len > data.length || data[i + len - 1] !== 0x0a) {
      throw new RegistryError("corrupt_tar", "a pax extended header has a malformed record");
    }
    let text: string;
    try {
      text = utf8.decode(data.subarray(j + 1, i + len - 1));
    } catch {
      throw new RegistryError("corrupt_tar", "a pax extended header is not valid UTF-8");
    }
    const eq = text.indexOf("=");
    if (eq <= 0) throw new RegistryError("corrupt_tar", "a pax extended header has a record without key=value");
    const key = text.slice(0, eq);
    if (records.has(key)) throw new RegistryError("corrupt_tar", `a pax extended header sets ${quote(key)} twice`);
    records.set(key, text.slice(eq + 1));
    i += len;
  }
  return records;
}

function paxOverrides(records: Map<string, string>): Pending {
  const pending: Pending = { from: "pax" };
  for (const [key, value] of records) {
    if (key.startsWith("GNU.sparse.")) throw new RegistryError("unsupported_tar_entry", "the archive contains a sparse file; write it as a regular file");
    if (key === "path" && value !== "") pending.path = value;
    if (key === "size" && value !== "") {
      const size = /^[0-9]{1,16}$/.test(value) ? Number(value) : NaN;
      if (!Number.isSafeInteger(size)) throw new RegistryError("corrupt_tar", `a pax header has a malformed size ${quote(value)}`);
      pending.size = size;
    }
  }
  return pending;
}

function checkGlobal(records: Map<string, string>): void {
  for (const key of records.keys()) {
    if (key === "path" || key === "linkpath" || key === "size" || key.startsWith("GNU.sparse.")) {
      throw new RegistryError("unsupported_tar_entry", `a pax global header sets ${quote(key)}; tar readers disagree on those, so they are not accepted`);
    }
  }
}

function slice(bytes: Uint8Array, start: number, size: number): Uint8Array {
  if (start + size > bytes.length) throw new RegistryError("corrupt_tar", "the tar data ends in the middle of an entry");
  return bytes.subarray(start, start + size);
}

function padded(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

function nulOr(bytes: Uint8Array, fallback: number): number {
  const i = bytes.indexOf(0);
  return i < 0 ? fallback : i;
}

function isZero(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

function bad(first: boolean, why: string): RegistryError {
  return first
    ? new RegistryError("not_tar", `the decompressed archive is not a tar file (${why}); an .oripk is a gzip-compressed tar`)
    : new RegistryError("corrupt_tar", `the tar data is corrupt: ${why}`);
}
