// Package routes: publish, version list, version metadata, archive download.
import { Hono } from "hono";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { RegistryError } from "../../domain/errors";
import { metadataDocument, type VersionRecord } from "../../domain/package-records";
import { PackageReader } from "../../services/package-reader";
import { publishArchive } from "../../services/publish";
import { packageWriter } from "../../services/package-access";
import { advisoriesOfVersion, withAdvisoryFlags } from "../../services/advisory-service";
import { ArchiveStore } from "../../storage/archive-store";
import { hexToBase64 } from "../../util/bytes";
import { requireScope } from "../middleware/auth";
import { access } from "../middleware/route-access";
import { jsonWithEtag, matchesIfNoneMatch } from "../conditional";
import { packageParam, versionParam } from "../params";
import { readArchiveUpload } from "../upload";
import { formatProof } from "../../log/proof-text";

export const packageRoutes = new Hono<AppEnv>();

packageRoutes.post("/packages/:scope/:name/publish", access.token("publish", "package"), async (c) => {
  const principal = requireScope(c, "publish");
  const pkg = packageParam(c);
  const outcome = await publishArchive(c.env, pkg, () => readArchiveUpload(c), principal);
  const { record, receipt } = outcome;
  return c.json(
    {
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
    outcome.created ? 201 : 200,
  );
});

packageRoutes.get("/packages/:scope/:name/versions", access.read("package"), async (c) => {
  const pkg = packageParam(c);
  const list = await new PackageReader(c.env, c.executionCtx).versionList(pkg);
  return jsonWithEtag(c, await withAdvisoryFlags(c.env, list));
});

packageRoutes.get("/packages/:scope/:name/:version/metadata", access.read("package"), async (c) => {
  const record = await readVersion(c);
  refuseIfGone(record);
  return jsonWithEtag(c, metadataDocument(record, await advisoriesOfVersion(c.env, record.name, record.version)));
});

packageRoutes.on(["GET", "HEAD"], "/packages/:scope/:name/:version/download", access.read("package", "bulk"), async (c) => {
  const record = await readVersion(c);
  refuseIfGone(record);
  const etag = `"${record.sha256}"`;
  const headers: Record<string, string> = {
    ETag: etag,
    "Cache-Control": "public, max-age=31536000, immutable",
    "Repr-Digest": `sha-256=:${hexToBase64(record.sha256)}:`,
    "Content-Type": "application/gzip",
    "Content-Disposition": `attachment; filename="${record.name.slice(1).replace("/", "-")}-${record.version}.oripk"`,
  };
  if (matchesIfNoneMatch(c.req.header("if-none-match"), etag)) return new Response(null, { status: 304, headers });
  const store = new ArchiveStore(c.env.BUCKET);
  if (c.req.method === "HEAD") {
    if (!(await store.exists(record.sha256))) throw await missingArchive(c, record);
    return new Response(null, { status: 200, headers: { ...headers, "Content-Length": String(record.size) } });
  }
  const object = await store.find(record.sha256);
  if (!object) throw await missingArchive(c, record);
  return new Response(object.body, { status: 200, headers: { ...headers, "Content-Length": String(object.size) } });
});

async function readVersion(c: Context<AppEnv>): Promise<VersionRecord> {
  const pkg = packageParam(c);
  const version = versionParam(c);
  return new PackageReader(c.env, c.executionCtx).version(pkg, version);
}

/** Removed and deleted versions answer 410 everywhere, with the recorded reason. */
function goneError(record: VersionRecord): RegistryError | null {
  const gone = record.removed ?? record.deleted;
  if (!gone) return null;
  return new RegistryError("version_gone", `${record.name}@${record.version} was ${record.removed ? "removed" : "deleted"} by an administrator: ${gone.reason}`);
}

function refuseIfGone(record: VersionRecord): void {
  const gone = goneError(record);
  if (gone) throw gone;
}

/**
 * A committed version always has its archive (it is stored first), unless an administrator
 * deleted it and this location's KV has not caught up yet: ask the authoritative writer.
 */
async function missingArchive(c: Context<AppEnv>, record: VersionRecord): Promise<RegistryError> {
  const current = await packageWriter(c.env, record.name).getVersion(record.version);
  return (current && goneError(current)) ?? new RegistryError("internal_error", `the archive of ${record.name}@${record.version} is missing from storage`);
}
