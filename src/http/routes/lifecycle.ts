// The version lifecycle: yank/unyank and deprecate (owners), emergency removal and delete
// (registry admins), and the package's audit trail.
import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env";
import type { PackageAction } from "../../domain/permissions";
import type { VersionChange } from "../../objects/package-writer";
import { authorize, packageWriter, requireLoggedPackage } from "../../services/package-access";
import { ArchiveStore } from "../../storage/archive-store";
import { requirePrincipal } from "../middleware/auth";
import { packageParam, versionParam } from "../params";
import { parseJson } from "../json-body";
import { text } from "../../api/text";
import { access } from "../middleware/route-access";
import { throwWriterError } from "../writer-errors";

export const lifecycleRoutes = new Hono<AppEnv>();

// Shown next to a version in terminals and pages: one line, no control characters (text.ts).
const Deprecate = z.object({ message: text("line", { max: 1000 }) });
const Reason = z.object({ reason: text("line", { min: 1, max: 1000 }) });

async function change(c: Context<AppEnv>, action: PackageAction, build: () => Promise<VersionChange> | VersionChange) {
  const principal = requirePrincipal(c);
  const pkg = packageParam(c);
  const version = versionParam(c);
  await authorize(c.env, principal, action, pkg);
  await requireLoggedPackage(c.env, pkg);
  const result = await packageWriter(c.env, pkg).changeVersion(principal.username, version, await build());
  if (!result.ok) throwWriterError(result);
  return result.value;
}

function flags(r: { name: string; version: string; yanked: boolean; deprecated: string | null; removed: unknown; deleted: unknown }) {
  return { name: r.name, version: r.version, yanked: r.yanked, deprecated: r.deprecated, removed: r.removed, deleted: r.deleted };
}

lifecycleRoutes.post("/packages/:scope/:name/:version/yank", access.token("publish", "package"), async (c) => c.json(flags(await change(c, "yank", () => ({ kind: "yank" })))));
lifecycleRoutes.post("/packages/:scope/:name/:version/unyank", access.token("publish", "package"), async (c) => c.json(flags(await change(c, "yank", () => ({ kind: "unyank" })))));

lifecycleRoutes.post("/packages/:scope/:name/:version/deprecate", access.token("publish", "package"), async (c) =>
  c.json(flags(await change(c, "deprecate", async () => ({ kind: "deprecate", message: (await parseJson(c, Deprecate)).message })))),
);

lifecycleRoutes.post("/packages/:scope/:name/:version/remove", access.token("admin", "package"), async (c) => {
  const record = await change(c, "admin-remove", async () => ({ kind: "remove", reason: (await parseJson(c, Reason)).reason }));
  // Committed first; then the bytes leave the download path, so the removal holds everywhere
  // at once even where KV still has the old metadata (R2 is strongly consistent).
  await new ArchiveStore(c.env.BUCKET).quarantine(record.sha256);
  return c.json(flags(record));
});

lifecycleRoutes.delete("/packages/:scope/:name/:version", access.token("admin", "package"), async (c) => {
  const reason = c.req.header("content-type") ? (await parseJson(c, Reason)).reason : "deleted by an administrator";
  const record = await change(c, "admin-delete", () => ({ kind: "delete", reason }));
  // The version is marked deleted first (the commit); removing the bytes after is idempotent,
  // so a retry after a crash finishes the job. The log entry stays: the log is append-only.
  await new ArchiveStore(c.env.BUCKET).remove(record.sha256);
  return c.json(flags(record));
});

lifecycleRoutes.get("/packages/:scope/:name/audit", access.token(null, "package"), async (c) => {
  const principal = requirePrincipal(c);
  const pkg = packageParam(c);
  await authorize(c.env, principal, "read-audit", pkg);
  await requireLoggedPackage(c.env, pkg);
  return c.json({ name: pkg, events: await packageWriter(c.env, pkg).auditTrail() });
});
