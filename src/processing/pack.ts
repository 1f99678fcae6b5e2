// Deterministic packing for `ori-registry pack` (and `ori publish`) and tests: CHECKSUM + tar + gzip with fixed settings, so
// the same files always give byte-identical archives (and so the same sha256).
import { gzipSync } from "fflate";
import { formatChecksumFile, CHECKSUM_PATH } from "./checksum-file";
import { sha256Hex } from "../util/bytes";
import { writeTar, type TarFile } from "./tar-writer";

/** gzip with mtime 0, no file name, level 9 and fflate's fixed OS byte. */
export function gzipDeterministic(bytes: Uint8Array): Uint8Array {
  return gzipSync(bytes, { level: 9, mtime: 0 });
}

/**
 * Packs `files` (everything except CHECKSUM) into an `.oripk`: computes CHECKSUM, writes the tar
 * and gzips it. A CHECKSUM in `files` is replaced.
 */
export async function packArchive(
  files: readonly TarFile[] | Record<string, Uint8Array | string>,
): Promise<Uint8Array> {
  const list: TarFile[] = Array.isArray(files)
    ? [...(files as readonly TarFile[])]
    : Object.entries(files as Record<string, Uint8Array | string>).map(([path, data]) => ({ path, data }));
  const content = list.filter((f) => f.path !== CHECKSUM_PATH);
  const lines = await Promise.all(content.map(async (f) => ({ path: f.path, sha256: await sha256Hex(f.data) })));
  const tar = writeTar([...content, { path: CHECKSUM_PATH, data: formatChecksumFile(lines) }]);
  return gzipDeterministic(tar);
}
