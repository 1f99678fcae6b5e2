// What the contents routes read: the file index and README HTML that processing stored beside a
// version's archive (R2, strongly consistent), a file's bytes taken from the archive itself
// (checked against the index's sha256), and the package's dependents index (its PackageWriter).
// A version whose processing has not finished answers `version_not_processed` (409); KV may lag
// behind the writer, so the writer is asked before refusing.
import type { Env } from "../env";
import { RegistryError } from "../domain/errors";
import type { VersionRecord } from "../domain/package-records";
import type { Dependent } from "../domain/dependents";
import { decodePageToken, encodePageToken } from "../advisories/paging";
import { mayReadPackage, type PackageLimit } from "../advisories/visibility";
import { gunzip } from "../processing/gunzip";
import { readTar } from "../processing/tar";
import type { ArchiveFile } from "../processing/archive";
import type { ReadmeHtml } from "../processing/readme-html";
import { ArchiveStore } from "../storage/archive-store";
import { ProcessedStore } from "../storage/processed-store";
import { sha256Hex } from "../util/bytes";
import { Packages } from "./packages";

/** The record again from its writer when KV's copy does not say processing is done. */
async function processed(env: Env, record: VersionRecord): Promise<VersionRecord> {
  const fresh =
    record.processing?.status === "done" ? record : await new Packages(env).findVersion(record.name, record.version);
  const state = fresh?.processing;
  if (state?.status === "done") return fresh!;
  const what = `${record.name}@${record.version}`;
  if (state?.status === "failed")
    throw new RegistryError("version_not_processed", `${what} could not be processed: ${state.reason}`);
  throw new RegistryError(
    "version_not_processed",
    state
      ? `${what} is still being processed (since ${state.at}): retry in a few seconds`
      : `${what} was published before archives were processed; publish its bytes again to process it`,
  );
}

export async function fileIndexOf(env: Env, record: VersionRecord): Promise<ArchiveFile[]> {
  const done = await processed(env, record);
  const index = await ProcessedStore.of(env).findFiles(done.sha256);
  if (!index)
    throw new RegistryError("internal_error", `the file index of ${record.name}@${record.version} is missing`);
  return index.files;
}

export async function readmeOf(env: Env, record: VersionRecord): Promise<ReadmeHtml | null> {
  const done = await processed(env, record);
  return done.processing!.readme ? ProcessedStore.of(env).findReadme(done.sha256) : null;
}

/** One file's entry in the version's index, or `file_not_found`. */
export async function fileEntryOf(env: Env, record: VersionRecord, path: string): Promise<ArchiveFile> {
  const entry = (await fileIndexOf(env, record)).find((f) => f.path === path);
  if (!entry)
    throw new RegistryError(
      "file_not_found",
      `${record.name}@${record.version} has no file ${JSON.stringify(path.slice(0, 200))}`,
    );
  return entry;
}

/** The bytes of an indexed file, read from the archive (only when they are to be sent). */
export async function fileBytes(env: Env, record: VersionRecord, entry: ArchiveFile): Promise<Uint8Array> {
  const object = await ArchiveStore.of(env).find(record.sha256);
  if (!object) throw new RegistryError("internal_error", `the archive of ${record.name}@${record.version} is missing`);
  const found = readTar(gunzip(new Uint8Array(await object.arrayBuffer()))).find(
    (e) => e.type === "file" && e.path === entry.path,
  );
  if (!found || (await sha256Hex(found.data)) !== entry.sha256)
    throw new RegistryError(
      "internal_error",
      `${entry.path} of ${record.name}@${record.version} does not match its index`,
    );
  return found.data;
}

export interface DependentsPage {
  dependents: Dependent[];
  next: string | null;
}

/**
 * A page of the versions that pin `pkg`'s versions (of one version when given). A reader limited
 * to some packages (private mode) sees only the dependents it may read.
 */
export async function dependentsOf(
  env: Env,
  pkg: string,
  q: { version: string | null; limit: number; pageToken: string | null },
  reader: PackageLimit,
): Promise<DependentsPage> {
  const after = q.pageToken === null ? null : decodePageToken(q.pageToken, ["v", "n", "d"]);
  const rows = await new Packages(env).listDependents(pkg, {
    version: q.version,
    after: after ? [after.v, after.n, after.d] : null,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    dependents: page.filter((d) => mayReadPackage(d.name, reader)),
    next:
      rows.length > q.limit && last
        ? encodePageToken({ v: last.version, n: last.name, d: last.dependentVersion })
        : null,
  };
}
