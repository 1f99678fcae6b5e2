// The advisory database's own routes (contract: src/api/advisories.ts): admin management
// (create, replace, withdraw), reads by package, id or alias, a record's history, the lock-file
// audit, and the offline export in osv.dev's layout. The OSV-compatible query routes are in osv.ts.
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { api } from "../../api";
import {
  advisoryHistory,
  auditLockfile,
  createAdvisory,
  exportAdvisories,
  findAdvisory,
  listAdvisories,
  replaceAdvisory,
  withdrawAdvisory,
} from "../../services/advisory-service";
import { readerLimit } from "../advisory-access";
import { matchesIfNoneMatch } from "../conditional";
import { implement } from "../implement";
import { dropAdvisoryDocuments } from "../edge-documents";
import { packagesOf } from "../../advisories/osv";
import { requireAdmin } from "../middleware/auth";
import { isPrivate } from "../middleware/private-mode";

export const advisoryRoutes = implement(api.advisories, {
  exportZip: async (c) => {
    const files = await exportAdvisories(c.env);
    return exportResponse(c, files.revision, "application/zip", () => files.zip(), 'attachment; filename="all.zip"');
  },

  exportCsv: async (c) => {
    const files = await exportAdvisories(c.env);
    return exportResponse(
      c,
      files.revision,
      "text/csv; charset=utf-8",
      () => new TextEncoder().encode(files.csv()),
      null,
    );
  },

  create: async (c, { body }) => {
    const admin = requireAdmin(c);
    const record = await createAdvisory(c.env, admin.username, await body());
    await dropAdvisoryDocuments(c, packagesOf(record));
    c.header("Location", `/v1/advisories/${record.id}`);
    return { status: 201, body: record };
  },

  list: async (c, { query }) => ({ status: 200, body: await listAdvisories(c.env, query, readerLimit(c)) }),

  get: async (c, { params: { id } }) => ({ status: 200, body: await findAdvisory(c.env, id, readerLimit(c)) }),

  history: async (c, { params: { id } }) => ({ status: 200, body: await advisoryHistory(c.env, id, readerLimit(c)) }),

  replace: async (c, { params: { id }, body }) => {
    const admin = requireAdmin(c);
    const before = await findAdvisory(c.env, id, null);
    const record = await replaceAdvisory(c.env, admin.username, id, await body());
    await dropAdvisoryDocuments(c, [...new Set([...packagesOf(before), ...packagesOf(record)])]);
    return { status: 200, body: record };
  },

  withdraw: async (c, { params: { id }, body }) => {
    const admin = requireAdmin(c);
    const { reason } = await body();
    const record = await withdrawAdvisory(c.env, admin.username, id, reason);
    await dropAdvisoryDocuments(c, packagesOf(record));
    return { status: 200, body: record };
  },

  audit: async (c, { body }) => {
    const limit = readerLimit(c);
    const sent = await body();
    const report = await auditLockfile(c.env, sent instanceof Uint8Array ? sent : sent.lockfile, limit, c.executionCtx);
    if (isPrivate(c)) c.header("Cache-Control", "private, no-store");
    return { status: 200, body: report };
  },
});

/** The export changes only with the database: its revision is the ETag. */
function exportResponse(
  c: Context<AppEnv>,
  revision: number,
  type: string,
  body: () => Uint8Array,
  disposition: string | null,
): Response {
  const etag = `"advisories-${revision}"`;
  const headers: Record<string, string> = { ETag: etag, "Cache-Control": "public, max-age=60", "Content-Type": type };
  if (disposition) headers["Content-Disposition"] = disposition;
  if (matchesIfNoneMatch(c.req.header("if-none-match"), etag)) return new Response(null, { status: 304, headers });
  return new Response(body(), { status: 200, headers });
}
