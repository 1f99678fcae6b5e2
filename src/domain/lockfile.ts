// The lock file `oripk.lock` (DESIGN §1), exactly as Ori's proposal writes it: checksums only,
// under a `[checksums]` table, one `"@scope/name:1.2.3" = "sha256:<64 lowercase hex>"` per
// package. Parsed strictly; formatted deterministically, always in the `[checksums]` form.
// DECISION (convenience): a lock without the table — the same lines at the top level — is still
// read, as an earlier draft wrote it; mixing both forms, or any other key or table, is refused.
import { parse, TomlError } from "smol-toml";
import { SHA256_DIGITS, SHA256_HEX } from "../util/bytes";
import { RegistryError, quote } from "./errors";
import { validatePackageName } from "./names";
import { compareVersions, isValidVersion } from "./versions";

export interface LockEntry {
  name: string;
  version: string;
  /** Lowercase hex, without the `sha256:` prefix. */
  sha256: string;
}

export const LOCK_TABLE = "checksums";
const DIGEST = new RegExp(`^sha256:(${SHA256_DIGITS})$`);

/** Parses `oripk.lock` (text or UTF-8 bytes); throws `invalid_lockfile`. Entries come back sorted. */
export function parseLockfile(input: string | Uint8Array): LockEntry[] {
  const text = typeof input === "string" ? input : decodeUtf8(input);
  let root: Record<string, unknown>;
  try {
    root = parse(text, { unsafeKeyBehaviour: "throw", maxDepth: 4 }) as Record<string, unknown>;
  } catch (err) {
    const where = err instanceof TomlError ? ` (line ${err.line}, column ${err.column})` : "";
    const why =
      err instanceof Error ? err.message.split("\n")[0]!.replace(/^Invalid TOML document: /, "") : "syntax error";
    throw invalid(`oripk.lock is not valid TOML${where}: ${why}`);
  }
  const entries: LockEntry[] = [];
  for (const [key, value] of Object.entries(checksumsTable(root))) entries.push(entry(key, value));
  return entries.sort(compareEntries);
}

/** Writes entries as `oripk.lock`: `[checksums]`, then one line each sorted by name and version. */
export function formatLockfile(entries: readonly LockEntry[]): string {
  const seen = new Set<string>();
  const lines: string[] = [`[${LOCK_TABLE}]\n`];
  for (const e of [...entries].sort(compareEntries)) {
    const key = lockKey(e);
    if (!validatePackageName(e.name).ok || !isValidVersion(e.version) || !SHA256_HEX.test(e.sha256)) {
      throw invalid(
        `cannot write lock entry ${quote(key)}: it needs a valid name, an exact version and a lowercase hex sha256`,
      );
    }
    if (seen.has(key)) throw invalid(`cannot write lock entry ${quote(key)} twice`);
    seen.add(key);
    lines.push(formatLockLine(e));
  }
  return lines.join("");
}

/** One entry's line, as it stands under `[checksums]`. */
export function formatLockLine(e: LockEntry): string {
  return `${JSON.stringify(lockKey(e))} = "sha256:${e.sha256}"\n`;
}

function lockKey(e: { name: string; version: string }): string {
  return `${e.name}:${e.version}`;
}

/** The entries' table: `[checksums]`, or the root itself for a lock written without it. */
function checksumsTable(root: Record<string, unknown>): Record<string, unknown> {
  if (!Object.hasOwn(root, LOCK_TABLE)) {
    for (const [key, value] of Object.entries(root)) {
      // A table at the top level is no entry of the convenience form; say what the file should hold.
      if (typeof value === "object" && value !== null)
        throw invalid(
          `oripk.lock: [${key}] is not a lock table: the lock holds only a [checksums] table of "@scope/name:1.2.3" = "sha256:<hex>" lines`,
        );
    }
    return root;
  }
  const table = root[LOCK_TABLE];
  if (typeof table !== "object" || table === null || Array.isArray(table))
    throw invalid("oripk.lock: `checksums` must be a table ([checksums])");
  const other = Object.keys(root).filter((k) => k !== LOCK_TABLE);
  if (other.length > 0) {
    throw invalid(
      `oripk.lock: ${quote(other[0]!)} is outside [checksums]: every line of the lock belongs under [checksums] (write the file again with \`ori sync\`)`,
    );
  }
  return table as Record<string, unknown>;
}

function entry(key: string, value: unknown): LockEntry {
  const at = key.lastIndexOf(":");
  const name = at < 0 ? key : key.slice(0, at);
  const version = at < 0 ? "" : key.slice(at + 1);
  const check = validatePackageName(name);
  if (at < 0 || !check.ok || !isValidVersion(version)) {
    const why =
      at >= 0 && !check.ok ? check.message : `write keys as "@scope/name:1.2.3" with one exact version (no range)`;
    throw invalid(`oripk.lock: [checksums] key ${quote(key)} is not a package and version: ${why}`);
  }
  const digest = typeof value === "string" ? DIGEST.exec(value) : null;
  if (!digest)
    throw invalid(`oripk.lock: the checksum of ${quote(key)} must be "sha256:" followed by 64 lowercase hex digits`);
  return { name, version, sha256: digest[1] as string };
}

function compareEntries(a: LockEntry, b: LockEntry): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return compareVersions(a.version, b.version);
}

function invalid(message: string): RegistryError {
  return new RegistryError("invalid_lockfile", message);
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw invalid("oripk.lock is not valid UTF-8 text");
  }
}
