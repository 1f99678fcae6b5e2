// The archive's `CHECKSUM` file: one `sha256:<64 lowercase hex>  <path>` line per file, sorted by
// path (UTF-8 byte order), covering every file except CHECKSUM itself, each exactly once.
import { RegistryError, quote } from "../domain/errors";
import { SHA256_DIGITS } from "../util/bytes";
import { comparePaths } from "./paths";

export const CHECKSUM_PATH = "CHECKSUM";

export interface ChecksumLine {
  path: string;
  /** Lowercase hex. */
  sha256: string;
}

const LINE = new RegExp(`^sha256:(${SHA256_DIGITS}) {2}(.+)$`);

/** Parses CHECKSUM; throws `checksum_malformed` or `checksum_unsorted`. */
export function parseChecksumFile(input: string | Uint8Array): ChecksumLine[] {
  let text: string;
  try {
    text = typeof input === "string" ? input : new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(input);
  } catch {
    throw malformed("CHECKSUM is not valid UTF-8 text");
  }
  if (text === "") throw malformed("CHECKSUM is empty; it must list every file of the archive");
  if (!text.endsWith("\n")) throw malformed("CHECKSUM must end with a newline");
  const lines = text.slice(0, -1).split("\n");
  const out: ChecksumLine[] = [];
  lines.forEach((line, i) => {
    const m = LINE.exec(line);
    if (!m)
      throw malformed(
        `CHECKSUM line ${i + 1} is not "sha256:<64 lowercase hex digits>  <path>" (two spaces, LF line endings)`,
      );
    const entry = { sha256: m[1] as string, path: m[2] as string };
    const prev = out[out.length - 1];
    if (prev && comparePaths(prev.path, entry.path) >= 0) {
      throw new RegistryError(
        "checksum_unsorted",
        prev.path === entry.path
          ? `CHECKSUM lists ${quote(entry.path)} twice`
          : `CHECKSUM line ${i + 1} (${quote(entry.path)}) is out of order: lines must be sorted by path`,
        { path: entry.path },
      );
    }
    out.push(entry);
  });
  return out;
}

export function formatChecksumFile(lines: readonly ChecksumLine[]): string {
  return [...lines]
    .sort((a, b) => comparePaths(a.path, b.path))
    .map((l) => `sha256:${l.sha256}  ${l.path}\n`)
    .join("");
}

/**
 * Checks CHECKSUM against the sha256 of every file in the archive (`actual`: path → hex, CHECKSUM
 * itself excluded). Reports files CHECKSUM misses, then lines naming absent files, then mismatches.
 */
export function verifyChecksums(listed: readonly ChecksumLine[], actual: ReadonlyMap<string, string>): void {
  const byPath = new Map(listed.map((l) => [l.path, l.sha256]));
  for (const path of [...actual.keys()].sort(comparePaths)) {
    if (!byPath.has(path)) {
      throw new RegistryError(
        "checksum_missing_entry",
        `CHECKSUM has no line for ${quote(path)}; it must list every file of the archive`,
        { path },
      );
    }
  }
  for (const { path } of listed) {
    if (!actual.has(path)) {
      const why = path === CHECKSUM_PATH ? "CHECKSUM must not list itself" : "the archive has no such file";
      throw new RegistryError("checksum_extra_entry", `CHECKSUM lists ${quote(path)}, but ${why}`, { path });
    }
  }
  for (const { path, sha256 } of listed) {
    if (actual.get(path) !== sha256) {
      throw new RegistryError(
        "checksum_mismatch",
        `the sha256 of ${quote(path)} does not match its CHECKSUM line: the file changed after CHECKSUM was written`,
        { path },
      );
    }
  }
}

function malformed(message: string): RegistryError {
  return new RegistryError("checksum_malformed", message);
}
