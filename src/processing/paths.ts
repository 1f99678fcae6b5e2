// The one rule for portable archive paths: a path is accepted only if it means the same file on
// Linux, macOS and Windows and cannot pass for another, and two paths are one if any of those
// file systems would store them as one (case folding, Unicode normalisation). docs/archive-rules.md.
import { RegistryError, quote } from "../domain/errors";
import { DEFAULT_LIMITS, type Limits } from "./limits";

/**
 * Code points a path segment may hold: ASCII letters, digits, space and the punctuation every
 * file system stores (not `"*:<>?\|`, which Windows refuses, nor `/`, the separator); beyond
 * ASCII only letters, marks and numbers that are visible (not default-ignorable: no zero-width
 * characters, bidi controls, variation selectors or Hangul fillers). So C0/C1 controls, format
 * characters, private-use, unassigned and non-ASCII spaces, symbols and punctuation (fullwidth
 * `／`, `∕`, `․`…, the look-alikes of separators and dots) are all refused.
 */
const SEGMENT = /^(?:[A-Za-z0-9 !#$%&'()+,\-.;=@[\]^_`{}~]|(?![\p{Default_Ignorable_Code_Point}])[\p{L}\p{M}\p{N}])+$/u;
/** Device names Windows reserves in every folder, with any extension (`nul.ori`, `COM1.txt`). */
const WINDOWS_DEVICE = /^(?:CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³]|CONIN\$|CONOUT\$)$/i;
const encoder = new TextEncoder();
/** Joins the folded segments of a key: no segment can contain it. */
const KEY_SEPARATOR = "\0";

/** Throws `unsafe_path` unless `path` is a plain relative path that is safe and portable on every OS. */
export function checkArchivePath(
  path: string,
  limits: Pick<Limits, "maxPathBytes" | "maxPathDepth"> = DEFAULT_LIMITS,
): void {
  const reject = (why: string): never => {
    throw new RegistryError("unsafe_path", `the archive path ${visible(path)} is not allowed: ${why}`, {
      path: path.slice(0, 300),
    });
  };
  if (path === "") reject("it is empty");
  const bytes = encoder.encode(path).length;
  if (bytes > limits.maxPathBytes) reject(`it is ${bytes} bytes long; at most ${limits.maxPathBytes} are allowed`);
  if (path.startsWith("/")) reject("it is absolute; paths must be relative to the archive root");
  if (/^[A-Za-z]:/.test(path)) reject("it starts with a Windows drive letter");
  const segments = path.split("/");
  for (const s of segments) {
    if (s === "") reject("it has an empty segment (a leading, trailing or doubled /)");
    if (s === "." || s === "..") reject(`it has a ${quote(s)} segment`);
    const bad = badCharacter(s);
    if (bad !== undefined) reject(`it contains ${bad}`);
    if (/^\p{M}/u.test(s)) reject("a segment starts with a combining mark");
    if (/[. ]$/.test(s))
      reject("a segment ends with a dot or a space, which Windows drops (it would name another file there)");
    if (s.startsWith(" ")) reject("a segment starts with a space");
    // Windows ignores the extension and trailing spaces when it matches a device name.
    if (WINDOWS_DEVICE.test(s.split(".")[0]!.trimEnd()))
      reject(`${quote(s)} is a device name on Windows (CON, PRN, AUX, NUL, COM0-9, LPT0-9), whatever its extension`);
  }
  if (segments.length > limits.maxPathDepth)
    reject(`it is ${segments.length} levels deep; at most ${limits.maxPathDepth} are allowed`);
}

/** `quote`, with invisible, bidi and control characters spelt \u{…}: a refused path must not reorder or hide text where its message is shown. */
function visible(path: string): string {
  return quote(path).replace(/[\p{C}\p{Z}\p{Default_Ignorable_Code_Point}]/gu, (ch) =>
    ch === " " ? ch : `\\u{${ch.codePointAt(0)!.toString(16).toUpperCase()}}`,
  );
}

/** Names the first character of `segment` outside SEGMENT, for the message. */
function badCharacter(segment: string): string | undefined {
  if (SEGMENT.test(segment)) return undefined;
  for (const ch of segment) {
    if (SEGMENT.test(ch)) continue;
    const cp = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
    if (ch === "\\") return "a backslash; use / as the separator";
    if (ch === ":") return 'a ":", which Windows cannot store (drive letters, alternate data streams)';
    if ('"*<>?|'.includes(ch)) return `${quote(ch)}, which Windows cannot store`;
    if (/[\p{Cc}]/u.test(ch)) return `a control character (${cp})`;
    if (/[\p{Cf}\p{Default_Ignorable_Code_Point}]/u.test(ch))
      return `an invisible or bidirectional formatting character (${cp})`;
    if (/[\p{Z}]/u.test(ch)) return `a space other than U+0020 (${cp})`;
    return `the character ${cp}, which is not a letter, mark, digit or portable ASCII punctuation`;
  }
  // Every code point passed alone: only a lone surrogate, which UTF-8 input cannot produce.
  return "an unpaired surrogate";
}

/**
 * The key two paths share when some file system would store them as one: each segment in NFKC,
 * upper- then lower-cased (full case mapping, which folds σ/ς/Σ, µ/μ, ſ/s, ß/ss/ẞ, K/k) and
 * normalised again, until nothing changes. Segments are folded alone and joined with NUL, so no
 * mapping (℀ is `a/c` in NFKC) can make a new separator.
 */
export function pathKey(path: string): string {
  return path.split("/").map(foldSegment).join(KEY_SEPARATOR);
}

function foldSegment(segment: string): string {
  let s = segment.normalize("NFKC");
  for (let i = 0; i < 4; i++) {
    const next = s.toUpperCase().toLowerCase().normalize("NFKC");
    if (next === s) break;
    s = next;
  }
  return s;
}

/** Byte order of the UTF-8 encodings (the order of `LC_ALL=C sort`), used for tar and CHECKSUM. */
export function comparePaths(a: string, b: string): number {
  if (a === b) return 0;
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x.length - y.length;
}

/**
 * The paths of one archive. Rejects a path seen twice, a file that is also a directory (of an
 * explicit entry or implied by a deeper path), and paths — files or directories — that share a
 * `pathKey` without being equal, which would overwrite or merge with each other on macOS and
 * Windows.
 */
export class PathSet {
  private readonly entries = new Map<string, { path: string; type: "file" | "directory" }>();
  /** Every directory, explicit or implied, by key → its spelling. */
  private readonly dirs = new Map<string, string>();

  add(path: string, type: "file" | "directory"): void {
    const key = pathKey(path);
    const clash = this.entries.get(key);
    if (clash) {
      if (clash.path === path && clash.type === type)
        throw duplicate(`${quote(path)} appears twice in the archive`, path);
      if (clash.path === path) throw duplicate(`${quote(path)} is both a file and a directory`, path);
      throw collision(path, clash.path);
    }
    const dir = this.dirs.get(key);
    if (dir !== undefined && type === "file")
      throw dir === path ? duplicate(`${quote(path)} is both a file and a directory`, path) : collision(path, dir);
    if (dir !== undefined && dir !== path) throw collision(path, dir);
    const segments = path.split("/");
    const keys = key.split(KEY_SEPARATOR);
    for (let i = 1; i <= segments.length; i++) {
      if (i === segments.length && type === "file") break;
      const spelling = segments.slice(0, i).join("/");
      const dirKey = keys.slice(0, i).join(KEY_SEPARATOR);
      const entry = this.entries.get(dirKey);
      if (entry?.type === "file")
        throw entry.path === spelling
          ? duplicate(`${quote(spelling)} is both a file and a directory`, path)
          : collision(spelling, entry.path);
      const seen = this.dirs.get(dirKey);
      if (seen !== undefined && seen !== spelling) throw collision(spelling, seen);
      this.dirs.set(dirKey, spelling);
    }
    this.entries.set(key, { path, type });
  }
}

function collision(path: string, other: string): RegistryError {
  return duplicate(
    `${quote(path)} and ${quote(other)} differ only in letter case or Unicode form; they would be one file on macOS and Windows`,
    path,
  );
}

function duplicate(message: string, path: string): RegistryError {
  return new RegistryError("duplicate_path", message, { path: path.slice(0, 300) });
}
