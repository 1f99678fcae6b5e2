// The log's record for one published version: exactly `<name> <version> sha256:<hex>\n`
// (e.g. `@acme/http 1.0.0 sha256:2cf2…\n`). The leaf is the entry's bytes, newline included.
// The log checks only this shape — printable ASCII tokens, 64 lowercase hex digits — not the
// package naming or semver rules (the domain layer enforces those before appending), so entries
// logged under older rules stay parseable forever.
import { SHA256_DIGITS, SHA256_HEX, fromUtf8 } from "../util/bytes";
import { fail } from "./errors";
import { leafHash, type Hash } from "./hash";
import { MAX_ENTRY_SIZE } from "./tiles";

export interface LogEntry {
  name: string;
  version: string;
  /** Lowercase hex SHA-256 of the archive bytes. */
  sha256: string;
}

const TOKEN = /^[\x21-\x7e]+$/;
const ENTRY = new RegExp(String.raw`^([\x21-\x7e]+) ([\x21-\x7e]+) sha256:(${SHA256_DIGITS})\n$`);

export function formatEntry(entry: LogEntry): string;
export function formatEntry(name: string, version: string, sha256: string): string;
export function formatEntry(a: LogEntry | string, version?: string, sha256?: string): string {
  const e = typeof a === "string" ? { name: a, version: version ?? "", sha256: sha256 ?? "" } : a;
  if (!TOKEN.test(e.name) || !TOKEN.test(e.version))
    fail("malformed_entry", "entry name and version must be non-empty printable ASCII without spaces");
  if (!SHA256_HEX.test(e.sha256)) fail("malformed_entry", "entry checksum must be 64 lowercase hex digits");
  const line = `${e.name} ${e.version} sha256:${e.sha256}\n`;
  if (line.length > MAX_ENTRY_SIZE) fail("malformed_entry", "entry is too long for an entry bundle");
  return line;
}

/** Parses an entry strictly: exactly one line in the format above, nothing else. */
export function parseEntry(entry: string | Uint8Array): LogEntry {
  const line = typeof entry === "string" ? entry : fromUtf8(entry);
  const m = line === null || line.length > MAX_ENTRY_SIZE ? null : ENTRY.exec(line);
  if (!m) fail("malformed_entry", "log entry is not `<name> <version> sha256:<hex>\\n`");
  return { name: m[1]!, version: m[2]!, sha256: m[3]! };
}

/** The leaf hash of an entry: SHA-256(0x00 || entry bytes). */
export function entryLeafHash(entry: string | Uint8Array): Hash {
  return leafHash(entry);
}
