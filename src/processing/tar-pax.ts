// pax extended headers (`x` for the next entry, `g` global) and GNU long names (`L`), limited
// to records every reader applies the same way: a known list of keys, each value well-formed,
// non-empty and agreeing with the ustar header. docs/archive-rules.md says why each one.
import { RegistryError, quote } from "../domain/errors";
import { ambiguous, isZero } from "./tar-header";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Keys an `x` header may set, with the form of their value. path is checked as a path later. */
const ANY = /^/;
const TIME = /^-?(?:0|[1-9][0-9]{0,17})(?:\.[0-9]{1,9})?$/;
const ID = /^(?:0|[1-9][0-9]{0,8})$/;
const ENTRY_KEYS = new Map<string, RegExp>([
  ["path", ANY],
  ["size", /^(?:0|[1-9][0-9]{0,15})$/],
  ["mtime", TIME],
  ["atime", TIME],
  ["ctime", TIME],
  ["uid", ID],
  ["gid", ID],
  ["uname", ANY],
  ["gname", ANY],
  ["comment", ANY],
  // What node-tar writes unless told to be portable; readers record or ignore them (GNU tar
  // says so on stderr), none lets them change a path, a type or the data.
  ["SCHILY.dev", /^(?:0|[1-9][0-9]{0,17})$/],
  ["SCHILY.ino", /^(?:0|[1-9][0-9]{0,17})$/],
  ["SCHILY.nlink", /^(?:0|[1-9][0-9]{0,17})$/],
]);
/** A global header may only carry a comment (what `git archive` writes). */
const GLOBAL_KEYS = new Set(["comment"]);

/** pax records: `<len> <key>=<value>\n`, `<len>` in decimal without leading zeros, counting the whole record. */
export function parsePax(data: Uint8Array): Map<string, string> {
  const records = new Map<string, string>();
  let i = 0;
  while (i < data.length) {
    let j = i;
    while (j < data.length && (data[j] as number) >= 0x30 && (data[j] as number) <= 0x39) j++;
    const digits = String.fromCharCode(...data.subarray(i, j));
    const len = Number(digits);
    if (
      j === i ||
      j - i > 7 ||
      digits.startsWith("0") ||
      data[j] !== 0x20 ||
      len <= j - i + 1 ||
      i + len > data.length ||
      data[i + len - 1] !== 0x0a
    ) {
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

/**
 * The path an `x` header gives its entry (if any), after checking every record against
 * ENTRY_KEYS and the entry's ustar size field.
 */
export function paxPath(records: Map<string, string>, headerSize: number): string | undefined {
  for (const [key, value] of records) {
    if (key.startsWith("GNU.sparse."))
      throw new RegistryError(
        "unsupported_tar_entry",
        "the archive contains a sparse file; write it as a regular file",
      );
    const form = ENTRY_KEYS.get(key);
    if (!form) {
      throw ambiguous(
        `a pax header sets ${quote(key)}; only ${[...ENTRY_KEYS.keys()].join(", ")} are accepted, as tar readers apply other records differently`,
      );
    }
    checkValue(key, value, form);
    // Python and node-tar read an empty or odd size as 0, Go refuses it, older readers ignore it (case 1).
    if (key === "size" && Number(value) !== headerSize) {
      throw ambiguous(
        `a pax header gives the size ${quote(value)} where the tar header says ${headerSize}; they must agree`,
      );
    }
    // libarchive (bsdtar) normalises pax strings as it converts them: to NFC, or NFD on macOS.
    if (key === "path" && value !== value.normalize("NFC")) {
      throw ambiguous(
        `the pax path ${quote(value)} is not in Unicode NFC, which libarchive (bsdtar) would extract under another name; write it in NFC`,
      );
    }
  }
  return records.get("path");
}

/** A global header: harmless keys only (Python applies global records to every later entry, Go hands them to the caller). */
export function checkGlobal(records: Map<string, string>): void {
  for (const [key, value] of records) {
    if (!GLOBAL_KEYS.has(key))
      throw ambiguous(
        `a pax global header sets ${quote(key)}; only a comment is accepted there, as tar readers apply global records differently`,
      );
    checkValue(key, value, ANY);
  }
}

function checkValue(key: string, value: string, form: RegExp): void {
  // An empty value means "unset" to POSIX; Python, Go and node-tar each read it their own way.
  // Owner names aside: there the header's field is empty too (node-tar writes `uname=`).
  if (value === "" && (key === "uname" || key === "gname")) return;
  if (value === "") throw ambiguous(`a pax header sets ${quote(key)} to an empty value`);
  // node-tar splits records at newlines and cuts values at NUL.
  if (/[\u0000-\u001f\u007f]/.test(value)) throw ambiguous(`the pax record ${quote(key)} contains a control character`);
  if (!form.test(value)) throw ambiguous(`a pax header has a malformed ${key} ${quote(value)}`);
}

/** A GNU `L` long name: the name, then NULs only. */
export function gnuLongName(data: Uint8Array): Uint8Array {
  const end = data.indexOf(0);
  if (end < 0) return data;
  if (!isZero(data.subarray(end))) throw ambiguous("a GNU long name has bytes after its terminating NUL");
  return data.subarray(0, end);
}
