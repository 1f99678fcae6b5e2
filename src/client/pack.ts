// Builds a reproducible `.oripk` from a project's files (runtime-neutral: the caller reads the
// disk). The manifest loses any [scripts] table, CHECKSUM is computed, tar and gzip are
// deterministic, and the result is checked by the registry's own archive processing, so a
// package that packs is a package the registry accepts.
import { RegistryError } from "../domain/errors";
import { packArchive } from "../processing/pack";
import { processArchive, type ProcessedArchive } from "../processing/archive";
import { stripScripts } from "./strip-scripts";

export interface PackedArchive {
  bytes: Uint8Array;
  /** Lowercase hex sha256 of `bytes`. */
  sha256: string;
  name: string;
  version: string;
  processed: ProcessedArchive;
  /** Whether a [scripts] table was removed from the packed manifest. */
  strippedScripts: boolean;
}

/** Paths the registry accepts at an archive's root (besides src/); see processing/archive.ts. */
const ROOT_FILE = /^(?:oripk\.toml|oripk\.lock|CHECKSUM|README\.md|LICEN[CS]E(?:[.-][^/]+)?)$/;

/**
 * Packs `files` (archive path → bytes, without oripk.toml and CHECKSUM) with the manifest text.
 * Throws a RegistryError with the registry's code when the result would be refused.
 */
export async function packProject(
  manifestText: string,
  files: ReadonlyMap<string, Uint8Array>,
): Promise<PackedArchive> {
  const unexpected = [...files.keys()].filter((p) => !p.startsWith("src/") && !ROOT_FILE.test(p));
  if (unexpected.length > 0) {
    throw new RegistryError(
      "unexpected_file",
      `the registry accepts only oripk.toml, oripk.lock, README.md, LICENSE* and src/ in an archive; remove ${unexpected.join(", ")} from [publish] include`,
    );
  }
  const { text, stripped } = stripScripts(manifestText);
  const entries: Record<string, Uint8Array | string> = { "oripk.toml": text };
  for (const [path, data] of files) entries[path] = data;
  const bytes = await packArchive(entries);
  const processed = await processArchive(bytes);
  return {
    bytes,
    sha256: processed.sha256,
    name: processed.manifest.name,
    version: processed.manifest.version,
    processed,
    strippedScripts: stripped,
  };
}

/** The conventional file name: `acme-http-1.0.0.oripk` for @acme/http 1.0.0. */
export function archiveFileName(name: string, version: string): string {
  return `${name.replace(/^@/, "").replace("/", "-")}-${version}.oripk`;
}
