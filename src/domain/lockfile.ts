// The lock file `oripk.lock` (DESIGN §1): checksums only, one `"@scope/name:1.2.3" =
// "sha256:<64 lowercase hex>"` per dependency. Parsed strictly; formatted deterministically.
import { parse, TomlError } from "smol-toml";
import { RegistryError, quote } from "./errors";
import { validatePackageName } from "./names";
import { compareVersions, isValidVersion } from "./versions";

export interface LockEntry {
  name: string;
  version: string;
  /** Lowercase hex, without the `sha256:` prefix. */
  sha256: string;
}

const DIGEST = /^sha256:([0-9a-f]{64})$/;

/** Parses `oripk.lock` (text or UTF-8 bytes); throws `invalid_lockfile`. Entries come back sorted. */
export function parseLockfile(input: string | Uint8Array): LockEntry[] {
  const text = typeof input === "string" ? input : decodeUtf8(input);
  let table: Record<string, unknown>;
  try {
    table = parse(text, { unsafeKeyBehaviour: "throw", maxDepth: 4 }) as Record<string, unknown>;
  } catch (err) {
    const where = err instanceof TomlError ? ` (line ${err.line}, column ${err.column})` : "";
    const why = err instanceof Error ? err.message.split("\n")[0] : "syntax error";
    throw invalid(`oripk.lock is not valid TOML${where}: ${why}`);
  }
  const entries: LockEntry[] = [];
  for (const [key, value] of Object.entries(table)) {
    const at = key.lastIndexOf(":");
    const name = at < 0 ? key : key.slice(0, at);
    const version = at < 0 ? "" : key.slice(at + 1);
    const check = validatePackageName(name);
    if (at < 0 || !check.ok || !isValidVersion(version)) {
      const why = at >= 0 && !check.ok ? check.message : `write keys as "@scope/name:1.2.3" with an exact version`;
      throw invalid(`oripk.lock: key ${quote(key)} is not a dependency: ${why}`);
    }
    const digest = typeof value === "string" ? DIGEST.exec(value) : null;
    if (!digest) throw invalid(`oripk.lock: the value of ${quote(key)} must be "sha256:" followed by 64 lowercase hex digits`);
    entries.push({ name, version, sha256: digest[1] as string });
  }
  return entries.sort(compareEntries);
}

/** Writes entries as `oripk.lock`: sorted by name then version, one line each, trailing newline. */
export function formatLockfile(entries: readonly LockEntry[]): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const e of [...entries].sort(compareEntries)) {
    const key = `${e.name}:${e.version}`;
    if (!validatePackageName(e.name).ok || !isValidVersion(e.version) || !/^[0-9a-f]{64}$/.test(e.sha256)) {
      throw invalid(`cannot write lock entry ${quote(key)}: it needs a valid name, an exact version and a lowercase hex sha256`);
    }
    if (seen.has(key)) throw invalid(`cannot write lock entry ${quote(key)} twice`);
    seen.add(key);
    lines.push(`${JSON.stringify(key)} = "sha256:${e.sha256}"\n`);
  }
  return lines.join("");
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
