// Package routes: publish, version list, version metadata, archive download.
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { api } from "../../api";
import { RegistryError } from "../../domain/errors";
import { metadataDocument, type VersionRecord } from "../../domain/package-records";
import { PackageReader } from "../../services/package-reader";
import { publishArchive } from "../../services/publish";
import { Packages } from "../../services/packages";
import { advisoriesOfVersion, withAdvisoryFlags } from "../../services/advisory-service";
import { ArchiveStore } from "../../storage/archive-store";
import { ARCHIVE_FILE_MIN, ArchiveFiles } from "../../storage/archive-files";
import { hexToBase64 } from "../../util/bytes";
import { requireScope } from "../middleware/auth";
import { matchesIfNoneMatch } from "../conditional";
import { implement } from "../implement";
import { formatProof } from "../../log/proof-text";
import { EdgeCache, IMMUTABLE_S, ISOLATE_ARCHIVE_MAX } from "../../storage/edge-cache";
import { edgeArchiveKey, edgeMetadataKey, edgeVersionListKey } from "../../storage/keys";
import { cachedDocument, dropDocuments } from "../edge-documents";

export const packageRoutes = implement(api.packages, {
  publish: async (c, { params: { pkg }, body }) => {
    const principal = requireScope(c, "publish");
    const outcome = await publishArchive(c.env, pkg, body, principal);
    // A new version changes the list: drop this location's copy (others expire in seconds).
    await dropDocuments(c, pkg, outcome.record.version);
    const { record, receipt } = outcome;
    return {
      status: outcome.created ? 201 : 200,
      body: {
        name: record.name,
        version: record.version,
        sha256: record.sha256,
        size: record.size,
        created: outcome.created,
        publishedAt: record.publishedAt,
        log: {
          index: receipt.index,
          entry: receipt.entry,
          treeSize: receipt.treeSize,
          checkpoint: receipt.checkpoint,
          proof: receipt.proof,
          tlogProof: formatProof({ index: receipt.index, proof: receipt.proof, checkpoint: receipt.checkpoint }),
        },
      },
    };
  },

  versions: (c, { params: { pkg } }) =>
    cachedDocument(c, api.packages.versions, edgeVersionListKey(pkg), async () =>
      withAdvisoryFlags(c.env, await new PackageReader(c.env, c.executionCtx).versionList(pkg)),
    ),

  metadata: (c, { params: { pkg, version } }) =>
    cachedDocument(c, api.packages.metadata, edgeMetadataKey(pkg, version), async () => {
      const record = await new PackageReader(c.env, c.executionCtx).version(pkg, version);
      refuseIfGone(record);
      return metadataDocument(record, await advisoriesOfVersion(c.env, record.name, record.version));
    }),

  download: async (c, { params: { pkg, version } }) => {
    const record = await new PackageReader(c.env, c.executionCtx).versionToDownload(pkg, version);
    refuseIfGone(record);
    const etag = `"${record.sha256}"`;
    const headers: Record<string, string> = {
      ETag: etag,
      "Cache-Control": "public, max-age=31536000, immutable",
      "Repr-Digest": `sha-256=:${hexToBase64(record.sha256)}:`,
      "Content-Type": "application/gzip",
      "Content-Disposition": `attachment; filename="${record.name.slice(1).replace("/", "-")}-${record.version}.oripk"`,
      "Content-Length": String(record.size),
    };
    // The record above may be a stale copy (this isolate's, or a location's KV): a removal or
    // delete takes the bytes off the download path in R2 (strongly consistent) before it
    // answers, so no answer — a 304 included — goes out unless R2 still has them: a HEAD begun
    // after this request arrived, never the body (docs/consistency.md); under `npm start`, for
    // a large archive, its file in the local files, read as late and found unbarred.
    const notModified = matchesIfNoneMatch(c.req.header("if-none-match"), etag);
    const bodiless = notModified || c.req.method === "HEAD";
    const answer = (body: BodyInit | null) =>
      new Response(c.req.method === "HEAD" ? null : body, { status: 200, headers });
    // Under `npm start`, large archives are answered from a file of the local state instead:
    // there, a removal bars the file before the bytes leave R2, and a read of the file's path
    // after this request arrived stands in for the HEAD (src/storage/archive-files.ts).
    const files = bodiless || record.size < ARCHIVE_FILE_MIN ? null : ArchiveFiles.of(c.env);
    const opened = await files?.openUnbarred(record.sha256, record.size);
    if (opened?.file) return answer(opened.file);
    const store = ArchiveStore.of(c.env);
    const cache = EdgeCache.of(c.env, c.executionCtx);
    const key = edgeArchiveKey(record.sha256);
    const mine = bodiless || files ? null : cache.keptArchive(record.sha256);
    const [cached, stored] = await Promise.all([
      bodiless || mine || files ? null : cache.match(key),
      store.existsNow(record.sha256, (p) => c.executionCtx.waitUntil(p)),
    ]);
    if (!stored) {
      await cached?.body?.cancel();
      throw await missingArchive(c, record);
    }
    if (notModified) {
      const { "Content-Length": _, ...rest } = headers;
      return new Response(null, { status: 304, headers: rest });
    }
    if (c.req.method === "HEAD") return answer(null);
    if (files) {
      // Not kept yet, or barred: from R2, kept for the next download unless barred.
      const object = await store.find(record.sha256);
      if (!object) throw await missingArchive(c, record);
      if (!opened?.keepable) return answer(object.body);
      const [served, kept] = object.body.tee();
      c.executionCtx.waitUntil(files.keep(record.sha256, kept));
      return answer(served);
    }
    // A fresh copy per answer, though the Response copies it again: handed the same kept buffer
    // each time, workerd's own copies of it landed on new pages (the kernel zeroing them was up
    // to 70% of its CPU; a bare Worker's 1 MiB answer took 0.9–5.7 ms that way, 0.57–0.85 ms
    // with the copy: docs/performance.md, "Third pass").
    if (mine) return answer(mine.slice());
    if (cached?.body) {
      // A small archive is read whole once and kept in the isolate: the next download is a copy
      // from memory, not another stream out of the cache.
      if (record.size > ISOLATE_ARCHIVE_MAX) return answer(cached.body);
      const bytes = new Uint8Array(await cached.arrayBuffer());
      cache.keepArchive(record.sha256, bytes);
      return answer(bytes);
    }
    const object = await store.find(record.sha256);
    if (!object) throw await missingArchive(c, record);
    const put = (body: BodyInit) =>
      cache.put(
        key,
        body,
        { "Content-Type": "application/gzip", "Content-Length": headers["Content-Length"]! },
        IMMUTABLE_S,
      );
    if (record.size <= ISOLATE_ARCHIVE_MAX) {
      const bytes = new Uint8Array(await object.arrayBuffer());
      cache.keepArchive(record.sha256, bytes);
      put(bytes);
      return answer(bytes);
    }
    const [served, kept] = object.body.tee();
    put(kept);
    return answer(served);
  },
});

/** What decides whether a version may be served. */
type Gone = Pick<VersionRecord, "name" | "version" | "removed" | "deleted">;

/** Removed and deleted versions answer 410 everywhere, with the recorded reason. */
function goneError(record: Gone): RegistryError | null {
  const gone = record.removed ?? record.deleted;
  if (!gone) return null;
  return new RegistryError(
    "version_gone",
    `${record.name}@${record.version} was ${record.removed ? "removed" : "deleted"} by an administrator: ${gone.reason}`,
  );
}

function refuseIfGone(record: Gone): void {
  const gone = goneError(record);
  if (gone) throw gone;
}

/**
 * A committed version always has its archive (it is stored first), unless an administrator
 * deleted it and this location's KV has not caught up yet: ask the authoritative writer.
 */
async function missingArchive(c: Context<AppEnv>, record: Gone): Promise<RegistryError> {
  const current = await new Packages(c.env).findVersion(record.name, record.version);
  return (
    (current && goneError(current)) ??
    new RegistryError("internal_error", `the archive of ${record.name}@${record.version} is missing from storage`)
  );
}
