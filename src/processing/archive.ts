// The single entry point of archive processing: bytes of an `.oripk` in, a validated description
// out (or a RegistryError with a stable code). Runtime-neutral, so the Worker, the queue
// consumer and the container image all run exactly these checks.
//
// DECISIONS: the archive root may hold only oripk.toml, oripk.lock, CHECKSUM, README.md, LICENSE,
// LICENSE.* / LICENSE-* (LICENCE too) and src/ — anything else is `unexpected_file`, to keep
// published archives clean. Every registry dependency (runtime and dev) must have a lock line at
// exactly its version (`lockfile_mismatch`, archive-consistency.ts); extra lines are allowed.
// A README.md over the limit is cut at a character boundary, as it is only shown, never built.
import { RegistryError, quote } from "../domain/errors";
import { parseLockfile, type LockEntry } from "../domain/lockfile";
import { parseManifest, type Manifest } from "../domain/manifest";
import { checkEntryPoints, checkLockCoversDependencies } from "./archive-consistency";
import { CHECKSUM_PATH, parseChecksumFile, verifyChecksums } from "./checksum-file";
import { sha256Hex } from "../util/bytes";
import { gunzip } from "./gunzip";
import { resolveLimits, type Limits } from "./limits";
import { comparePaths, readTar, type TarEntry } from "./tar";

export const MANIFEST_PATH = "oripk.toml";
export const LOCKFILE_PATH = "oripk.lock";
export const README_PATH = "README.md";

export interface ArchiveFile {
  path: string;
  size: number;
  /** Lowercase hex. */
  sha256: string;
}

export interface ProcessedArchive {
  /** Lowercase hex sha256 of the compressed bytes, as uploaded. */
  sha256: string;
  /** Compressed size in bytes. */
  size: number;
  manifest: Manifest;
  lock: LockEntry[];
  /** Every regular file, CHECKSUM included, sorted by path. */
  files: ArchiveFile[];
  readme?: string;
  decompressedSize: number;
}

export interface ProcessOptions {
  limits?: Partial<Limits>;
  /** The `@scope/name` being published to; the manifest must name the same package. */
  expectedName?: string;
}

const ROOT_FILE = /^(?:oripk\.toml|oripk\.lock|CHECKSUM|README\.md|LICEN[CS]E(?:[.-][^/]+)?)$/;

export async function processArchive(bytes: Uint8Array, opts: ProcessOptions = {}): Promise<ProcessedArchive> {
  const limits = resolveLimits(opts.limits);
  if (bytes.length > limits.maxCompressedBytes) {
    throw new RegistryError(
      "archive_too_large",
      `the archive is ${bytes.length} bytes; at most ${limits.maxCompressedBytes} bytes (${limits.maxCompressedBytes / (1024 * 1024)} MiB) are allowed`,
      {
        limit: limits.maxCompressedBytes,
      },
    );
  }
  const sha256 = await sha256Hex(bytes);
  const tar = gunzip(bytes, limits);
  const entries = readTar(tar, limits);
  const files = new Map<string, Uint8Array>();
  for (const entry of entries) {
    checkLayout(entry);
    if (entry.type === "file") files.set(entry.path, entry.data);
  }

  const manifestBytes = required(files, MANIFEST_PATH, "missing_manifest", limits.maxManifestBytes);
  const lockBytes = required(files, LOCKFILE_PATH, "missing_lockfile", limits.maxLockfileBytes);
  const checksumBytes = required(files, CHECKSUM_PATH, "missing_checksum", limits.maxChecksumFileBytes);
  if (![...files.keys()].some((p) => p.startsWith("src/"))) {
    throw new RegistryError("missing_src", "the archive has no files under src/; a package must contain its sources");
  }

  const digests = new Map<string, string>();
  const listing: ArchiveFile[] = [];
  for (const [path, data] of files) {
    const digest = await sha256Hex(data);
    listing.push({ path, size: data.length, sha256: digest });
    if (path !== CHECKSUM_PATH) digests.set(path, digest);
  }
  verifyChecksums(parseChecksumFile(checksumBytes), digests);

  const manifest = parseManifest(manifestBytes);
  if (opts.expectedName !== undefined && manifest.name !== opts.expectedName) {
    throw new RegistryError(
      "name_mismatch",
      `oripk.toml names the package ${quote(manifest.name)}, but it is being published to ${quote(opts.expectedName)}`,
      {
        manifestName: manifest.name,
        expectedName: opts.expectedName,
      },
    );
  }
  const lock = parseLockfile(lockBytes);
  checkLockCoversDependencies(manifest, lock);
  checkEntryPoints(manifest, new Set(files.keys()));

  const processed: ProcessedArchive = {
    sha256,
    size: bytes.length,
    manifest,
    lock,
    files: listing.sort((a, b) => comparePaths(a.path, b.path)),
    decompressedSize: tar.length,
  };
  const readme = files.get(README_PATH);
  if (readme) processed.readme = decodeReadme(readme, limits.maxReadmeBytes);
  return processed;
}

function checkLayout(entry: TarEntry): void {
  const ok =
    entry.path.startsWith("src/") ||
    (entry.path === "src" && entry.type === "directory") ||
    (entry.type === "file" && ROOT_FILE.test(entry.path));
  if (!ok) {
    throw new RegistryError(
      "unexpected_file",
      `the archive contains ${quote(entry.path)}; only oripk.toml, oripk.lock, CHECKSUM, README.md, LICENSE (or LICENSE.*, LICENSE-*) and src/ are allowed at the top level`,
      { path: entry.path },
    );
  }
}

function required(
  files: Map<string, Uint8Array>,
  path: string,
  code: "missing_manifest" | "missing_lockfile" | "missing_checksum",
  max: number,
): Uint8Array {
  const data = files.get(path);
  if (!data) throw new RegistryError(code, `the archive has no ${path} at its root`);
  if (data.length > max)
    throw new RegistryError("file_too_large", `${path} is ${data.length} bytes; at most ${max} are allowed`, {
      path,
      limit: max,
    });
  return data;
}

/** Display-only text: invalid UTF-8 is replaced, and past the limit it is cut before a partial character. */
function decodeReadme(data: Uint8Array, max: number): string {
  let end = Math.min(data.length, max);
  if (end < data.length) while (end > 0 && ((data[end] as number) & 0xc0) === 0x80) end--;
  return new TextDecoder("utf-8").decode(data.subarray(0, end));
}
