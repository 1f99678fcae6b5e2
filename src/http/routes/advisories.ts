// The advisory database's own routes: admin management (create, replace, withdraw), reads by
// package, id or alias, a record's history, the lock-file audit, and the offline export in
// osv.dev's layout. The OSV-compatible query routes are in osv.ts.
import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env";
import { RegistryError } from "../../domain/errors";
import { parsePackageName } from "../../domain/names";
import { parseVersion } from "../../domain/versions";
import {
  advisoryHistory,
  auditLockfile,
  createAdvisory,
  exportAdvisories,
  findAdvisory,
  LIST_LIMITS,
  listAdvisories,
  replaceAdvisory,
  withdrawAdvisory,
} from "../../services/advisory-service";
import { readerLimit } from "../advisory-access";
import { access } from "../../api/contract";
import { declare } from "../middleware/route-access";
import { matchesIfNoneMatch } from "../conditional";
import { parseJson } from "../json-body";
import { text } from "../../api/text";
import { requireAdmin } from "../middleware/auth";
import { isPrivate } from "../middleware/private-mode";
import { readLimited } from "../read-body";

export const advisoryRoutes = new Hono<AppEnv>();

/** DECISION (limits): a record is at most a few KiB; 256 KiB leaves room for long details in any script. */
const MAX_ADVISORY_BYTES = 256 * 1024;
const MAX_LOCK_BYTES = 1024 * 1024;
const Anything = z.unknown();
// Shown next to the record in terminals and pages: one line, no control characters (text.ts).
const Withdraw = z.object({ reason: text("line", { min: 1, max: 1000 }) });

// The export first: its paths would otherwise read as an id.
// The export lists every package's advisories: like the log's entry bundles, not for a limited token.
advisoryRoutes.get("/advisories/export/all.zip", declare(access.read("all-packages")), async (c) => {
  const files = await exportAdvisories(c.env);
  return exportResponse(c, files.revision, "application/zip", () => files.zip(), 'attachment; filename="all.zip"');
});

advisoryRoutes.get("/advisories/export/modified_id.csv", declare(access.read("all-packages")), async (c) => {
  const files = await exportAdvisories(c.env);
  return exportResponse(c, files.revision, "text/csv; charset=utf-8", () => new TextEncoder().encode(files.csv()), null);
});

advisoryRoutes.post("/advisories", declare(access.registryAdmin()), async (c) => {
  const admin = requireAdmin(c);
  const record = await createAdvisory(c.env, admin.username, await parseJson(c, Anything, MAX_ADVISORY_BYTES));
  c.header("Location", `/v1/advisories/${record.id}`);
  return c.json(record, 201);
});

advisoryRoutes.get("/advisories", declare(access.read()), async (c) => {
  const limit = readerLimit(c);
  const q = c.req.query();
  const pkg = q.package === undefined ? null : parsePackageName(q.package).full;
  if (q.version !== undefined) {
    if (pkg === null) throw new RegistryError("bad_request", "version needs package: /v1/advisories?package=@scope/name&version=1.2.3");
    parseVersion(q.version);
  }
  const size = q.limit === undefined ? LIST_LIMITS.default : Number(q.limit);
  if (!Number.isInteger(size) || size < 1 || size > LIST_LIMITS.max) throw new RegistryError("bad_request", `limit is a whole number from 1 to ${LIST_LIMITS.max}`);
  if (q.include_withdrawn !== undefined && q.include_withdrawn !== "true" && q.include_withdrawn !== "false") throw new RegistryError("bad_request", "include_withdrawn is true or false");
  const answer = await listAdvisories(c.env, { package: pkg, version: q.version ?? null, includeWithdrawn: q.include_withdrawn === "true", limit: size, pageToken: q.page_token ?? null }, limit);
  return c.json(answer);
});

advisoryRoutes.get("/advisories/:id", declare(access.read()), async (c) => c.json(await findAdvisory(c.env, c.req.param("id"), readerLimit(c))));

advisoryRoutes.get("/advisories/:id/history", declare(access.read()), async (c) => c.json(await advisoryHistory(c.env, c.req.param("id"), readerLimit(c))));

advisoryRoutes.put("/advisories/:id", declare(access.registryAdmin()), async (c) => {
  const admin = requireAdmin(c);
  return c.json(await replaceAdvisory(c.env, admin.username, c.req.param("id"), await parseJson(c, Anything, MAX_ADVISORY_BYTES)));
});

advisoryRoutes.post("/advisories/:id/withdraw", declare(access.registryAdmin()), async (c) => {
  const admin = requireAdmin(c);
  const { reason } = await parseJson(c, Withdraw);
  return c.json(await withdrawAdvisory(c.env, admin.username, c.req.param("id"), reason));
});

/** POST /v1/audit: the lock's text as the body (text/plain or application/toml), or JSON `{"lockfile": "…"}`. */
advisoryRoutes.post("/audit", declare(access.read()), async (c) => {
  const limit = readerLimit(c);
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  let lock: string | Uint8Array;
  if (type.startsWith("application/json")) {
    lock = (await parseJson(c, z.object({ lockfile: z.string() }), MAX_LOCK_BYTES)).lockfile;
  } else if (/^(text\/plain|application\/toml|application\/octet-stream)\b/.test(type)) {
    lock = await readLimited(c.req.raw, MAX_LOCK_BYTES, () => new RegistryError("bad_request", `the lock file is larger than ${MAX_LOCK_BYTES} bytes`));
  } else {
    throw new RegistryError("unsupported_media_type", "send the oripk.lock text as text/plain (or application/toml), or JSON {\"lockfile\": \"…\"}");
  }
  const report = await auditLockfile(c.env, lock, limit, c.executionCtx);
  if (isPrivate(c)) c.header("Cache-Control", "private, no-store");
  return c.json(report);
});

/** The export changes only with the database: its revision is the ETag. */
function exportResponse(c: Context<AppEnv>, revision: number, type: string, body: () => Uint8Array, disposition: string | null): Response {
  const etag = `"advisories-${revision}"`;
  const headers: Record<string, string> = { ETag: etag, "Cache-Control": "public, max-age=60", "Content-Type": type };
  if (disposition) headers["Content-Disposition"] = disposition;
  if (matchesIfNoneMatch(c.req.header("if-none-match"), etag)) return new Response(null, { status: 304, headers });
  return new Response(body(), { status: 200, headers });
}
