// The version lifecycle: yank/unyank and deprecate (owners), emergency removal and delete
// (registry admins), and the package's audit trail.
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { api } from "../../api";
import type { PackageAction } from "../../domain/permissions";
import type { VersionRecord } from "../../domain/package-records";
import type { VersionChange } from "../../objects/package-writer";
import { authorize, requireLoggedPackage } from "../../services/package-access";
import { Packages } from "../../services/packages";
import { ArchiveStore } from "../../storage/archive-store";
import { ProcessedStore } from "../../storage/processed-store";
import { requirePrincipal } from "../middleware/auth";
import { implement } from "../implement";
import { dropDocuments } from "../edge-documents";

async function change(
  c: Context<AppEnv>,
  pkg: string,
  version: string,
  action: PackageAction,
  build: () => Promise<VersionChange> | VersionChange,
) {
  const principal = requirePrincipal(c);
  await authorize(c.env, principal, action, pkg);
  await requireLoggedPackage(c.env, pkg);
  const record = await new Packages(c.env).changeVersion(principal.username, pkg, version, await build());
  // This location's copies go at once; other locations' within DOCUMENT_TTL_S (docs/consistency.md).
  const gone = record.removed !== null || record.deleted !== null;
  await dropDocuments(c, pkg, version, gone ? record.sha256 : null);
  return record;
}

function flags(r: VersionRecord) {
  return {
    status: 200 as const,
    body: {
      name: r.name,
      version: r.version,
      yanked: r.yanked,
      deprecated: r.deprecated,
      removed: r.removed,
      deleted: r.deleted,
    },
  };
}

export const lifecycleRoutes = implement(api.lifecycle, {
  yank: async (c, { params: { pkg, version } }) =>
    flags(await change(c, pkg, version, "yank", () => ({ kind: "yank" }))),
  unyank: async (c, { params: { pkg, version } }) =>
    flags(await change(c, pkg, version, "yank", () => ({ kind: "unyank" }))),
  deprecate: async (c, { params: { pkg, version }, body }) =>
    flags(
      await change(c, pkg, version, "deprecate", async () => ({ kind: "deprecate", message: (await body()).message })),
    ),

  remove: async (c, { params: { pkg, version }, body }) => {
    const record = await change(c, pkg, version, "admin-remove", async () => ({
      kind: "remove",
      reason: (await body()).reason,
    }));
    // Committed first; then the bytes leave the download path, so the removal holds everywhere
    // at once even where KV still has the old metadata (R2 is strongly consistent).
    await ArchiveStore.of(c.env).quarantine(record.sha256);
    return flags(record);
  },

  delete: async (c, { params: { pkg, version }, body }) => {
    const reason = (await body())?.reason ?? "deleted by an administrator";
    const record = await change(c, pkg, version, "admin-delete", () => ({ kind: "delete", reason }));
    // The version is marked deleted first (the commit); removing the bytes after is idempotent,
    // so a retry after a crash finishes the job. The log entry stays: the log is append-only.
    await ArchiveStore.of(c.env).remove(record.sha256);
    // What processing derived from the bytes (file index, README HTML) goes with them.
    await ProcessedStore.of(c.env).remove(record.sha256);
    return flags(record);
  },

  audit: async (c, { params: { pkg } }) => {
    const principal = requirePrincipal(c);
    await authorize(c.env, principal, "read-audit", pkg);
    await requireLoggedPackage(c.env, pkg);
    return { status: 200, body: { name: pkg, events: await new Packages(c.env).auditTrail(pkg) } };
  },
});
