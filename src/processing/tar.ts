// A strict ustar/pax reader for package archives. It accepts only the canonical subset of tar
// that every mainstream reader (GNU tar, Python's tarfile, Go's archive/tar, node-tar) reads the
// same way — regular files and directories, portable paths, each once — so the registry and
// whatever later unpacks an archive can never disagree about its contents.
//
// DECISIONS (docs/archive-rules.md): headers are checked field by field in tar-header.ts; pax
// `x` headers may set a known list of keys (tar-pax.ts), their `size` only to the header's own;
// a pax `g` header may only come first and only carry a comment; GNU long names (`L`) are
// supported, `K` (long link name) is a link; one extended header per entry, ASCII past its first
// block (node-tar decodes it in streamed pieces). The end-of-archive marker may be missing
// (gzip's CRC already proves the stream whole), but anything after it must be zero padding, and
// so must the bytes that pad each entry's data to a block.
import { RegistryError, quote } from "../domain/errors";
import { DEFAULT_LIMITS, type Limits } from "./limits";
import { PathSet, checkArchivePath } from "./paths";
import { BLOCK, ambiguous, isZero, notTar, readHeader, type TarHeader } from "./tar-header";
import { checkGlobal, gnuLongName, parsePax, paxPath } from "./tar-pax";

export { PathSet, checkArchivePath, comparePaths, pathKey } from "./paths";

export interface TarEntry {
  /** Relative, `/`-separated, without a trailing `/`. */
  path: string;
  type: "file" | "directory";
  /** A view into the tar bytes (empty for directories). */
  data: Uint8Array;
}

export type TarLimits = Pick<Limits, "maxEntries" | "maxFileBytes" | "maxPathBytes" | "maxPathDepth">;

/** Extended headers carry a path or a few numbers; nothing legitimate comes near this. */
const MAX_META_BYTES = 64 * 1024;
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** What an extended header said about the entry after it. */
type Pending = { kind: "pax"; records: Map<string, string> } | { kind: "gnu"; path: Uint8Array };

export function readTar(bytes: Uint8Array, limits: TarLimits = DEFAULT_LIMITS): TarEntry[] {
  if (bytes.length === 0) throw new RegistryError("not_tar", "the archive is empty: it must be a tar file inside gzip");
  const entries: TarEntry[] = [];
  const paths = new PathSet();
  let pending: Pending | null = null;
  let counted = 0;
  let off = 0;
  while (off < bytes.length) {
    const first = off === 0;
    if (bytes.length - off < BLOCK)
      throw notTar(first, `the tar data ends in the middle of a 512-byte block at offset ${off}`);
    const block = bytes.subarray(off, off + BLOCK);
    if (isZero(block)) {
      if (pending) throw notTar(false, "an extended header is not followed by an entry");
      if (!isZero(bytes.subarray(off))) throw notTar(first, "the tar data continues after its end-of-archive marker");
      // GNU tar warns about "a lone zero block"; the marker is two.
      if (bytes.length - off < 2 * BLOCK)
        throw ambiguous("the tar data ends with a single zero block; an end-of-archive marker is two");
      break;
    }
    const header = readHeader(block, off, first);
    const { type, size } = header;
    const dataStart = off + BLOCK;
    // pax/GNU headers are bounded by their entry (two in a row are rejected); global ones count.
    if (type !== "x" && type !== "L" && ++counted > limits.maxEntries) {
      throw new RegistryError(
        "too_many_entries",
        `the archive has more than ${limits.maxEntries} entries, the most allowed`,
        { limit: limits.maxEntries },
      );
    }

    if (type === "x" || type === "g" || type === "L") {
      if (header.hasLinkname) throw ambiguous(`the extended header at offset ${off} has a link name`);
      if (size > MAX_META_BYTES)
        throw new RegistryError(
          "corrupt_tar",
          `an extended tar header is ${size} bytes; at most ${MAX_META_BYTES} are allowed`,
        );
      const data = slice(bytes, dataStart, size);
      // node-tar decodes this data piece by piece as a stream delivers it (the first block
      // always whole): a character cut between two pieces becomes U+FFFD, and the record whose
      // length then disagrees is dropped — node-tar names the entry by its header instead.
      if (data.subarray(BLOCK).some((b) => b >= 0x80))
        throw ambiguous(
          `the extended header at offset ${off} has non-ASCII bytes after its first 512 bytes, which node-tar can decode wrongly`,
        );
      off = skip(bytes, dataStart, size);
      if (pending)
        throw new RegistryError(
          "corrupt_tar",
          "an entry has two extended headers (pax and/or GNU long name); write one",
        );
      if (type === "g") {
        // Python applies global records to every later entry, Go returns them as an entry of their own.
        if (!first) throw ambiguous("a pax global header comes after the first entry; it may only open the archive");
        checkGlobal(parsePax(data));
      } else if (type === "x") {
        pending = { kind: "pax", records: parsePax(data) };
      } else {
        if (!header.gnu) throw ambiguous("a GNU long name header does not use GNU magic");
        const name = gnuLongName(data);
        if (name.length === 0) throw new RegistryError("corrupt_tar", "a GNU long name is empty");
        pending = { kind: "gnu", path: name };
      }
      continue;
    }
    if (type === "1" || type === "2" || type === "K") {
      throw new RegistryError(
        "link_not_allowed",
        `the archive contains a ${type === "1" ? "hard link" : "symbolic link"}; packages may only contain regular files and directories`,
      );
    }
    if (type === "3" || type === "4" || type === "6" || type === "7") {
      const what = { "3": "character device", "4": "block device", "6": "FIFO", "7": "contiguous file" }[type];
      throw new RegistryError(
        "special_file_not_allowed",
        `the archive contains a ${what}; packages may only contain regular files and directories`,
      );
    }
    if (type !== "0" && type !== "\0" && type !== "5") {
      throw new RegistryError(
        "unsupported_tar_entry",
        `the archive contains a tar entry of type ${quote(type)}; only regular files and directories are supported`,
      );
    }
    // node-tar refuses a regular file with a link name; a reader could take it for a link.
    if (header.hasLinkname) throw ambiguous(`the tar entry at offset ${off} has a link name but is not a link`);
    const isDir = type === "5";
    // Python, Go, GNU tar and node-tar take a file whose header name ends in / for a directory (V7 style).
    if (!isDir && header.name[header.name.length - 1] === 0x2f)
      throw ambiguous(`the tar entry at offset ${off} is a file whose header name ends in "/"`);

    let path = entryPath(header, pending);
    pending = null;
    if (isDir && path.endsWith("/")) path = path.slice(0, -1);
    checkArchivePath(path, limits);
    if (isDir && size !== 0)
      throw new RegistryError("corrupt_tar", `the directory entry ${quote(path)} claims ${size} bytes of data`);
    if (size > limits.maxFileBytes) {
      throw new RegistryError(
        "file_too_large",
        `${quote(path)} is ${size} bytes; files may be at most ${limits.maxFileBytes} bytes`,
        { path, limit: limits.maxFileBytes },
      );
    }
    paths.add(path, isDir ? "directory" : "file");
    entries.push({ path, type: isDir ? "directory" : "file", data: slice(bytes, dataStart, size) });
    off = skip(bytes, dataStart, size);
  }
  if (pending) throw new RegistryError("corrupt_tar", "the tar data ends after an extended header, without its entry");
  return entries;
}

/** The entry's path: an extended header's, else the POSIX prefix joined to the name. */
function entryPath(header: TarHeader, pending: Pending | null): string {
  if (pending?.kind === "gnu") return decodePath(pending.path);
  const fromPax = pending?.kind === "pax" ? paxPath(pending.records, header.size) : undefined;
  if (fromPax !== undefined) return fromPax;
  const name = decodePath(header.name);
  return header.prefix.length > 0 ? `${decodePath(header.prefix)}/${name}` : name;
}

function decodePath(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new RegistryError("unsafe_path", "an archive path is not valid UTF-8");
  }
}

function slice(bytes: Uint8Array, start: number, size: number): Uint8Array {
  if (start + size > bytes.length)
    throw new RegistryError("corrupt_tar", "the tar data ends in the middle of an entry");
  return bytes.subarray(start, start + size);
}

/** Where the next header starts: after the data, padded to a block with zeros (nothing hidden there). */
function skip(bytes: Uint8Array, start: number, size: number): number {
  const end = start + Math.ceil(size / BLOCK) * BLOCK;
  if (end > bytes.length)
    throw new RegistryError("corrupt_tar", "the tar data ends in the middle of an entry's last block");
  if (!isZero(bytes.subarray(start + size, end)))
    throw ambiguous(`the padding after the data at offset ${start} is not zero`);
  return end;
}
