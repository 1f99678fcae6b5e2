// OSV-compatible routes, so any OSV tool pointed at the registry works: POST /v1/query,
// POST /v1/querybatch (≤ 1,000 queries, `{id, modified}` only) and GET /v1/vulns/{id}, with
// osv.dev's shapes (https://google.github.io/osv.dev/api/): an empty result is `{}`, a page past
// 1,000 vulnerabilities ends with `next_page_token`, and errors also carry osv.dev's
// `{code, message}` (see error-handler.ts).
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env";
import { ORI_ECOSYSTEM } from "../../advisories/osv";
import { OSV_BATCH_LIMIT, type OsvPage, type OsvQuery } from "../../advisories/osv-query";
import { RegistryError } from "../../domain/errors";
import { findAdvisory, queryOsv, queryOsvBatch } from "../../services/advisory-service";
import { readerLimit } from "../advisory-access";
import { parseJson } from "../json-body";
import { access } from "../../api/contract";
import { declare } from "../middleware/route-access";

export const osvRoutes = new Hono<AppEnv>();

const Query = z.object({
  package: z.object({ name: z.string().min(1).max(200).optional(), ecosystem: z.string().max(100).optional(), purl: z.string().max(1000).optional() }).optional(),
  version: z.string().min(1).max(256).optional(),
  commit: z.string().max(100).optional(),
  page_token: z.string().max(512).optional(),
});
type QueryBody = z.infer<typeof Query>;

/** 1,000 queries of a few hundred bytes each. */
const MAX_BATCH_BYTES = 1024 * 1024;

/** osv.dev's rules for one query, then ours: Ori names packages by ecosystem and name. */
function toQuery(q: QueryBody, where: string): OsvQuery {
  if (q.commit !== undefined) throw new RegistryError("bad_request", `${where}commit queries are not supported: this registry evaluates SEMVER ranges; query by package and version`);
  if (q.package?.purl !== undefined) throw new RegistryError("bad_request", `${where}purl queries are not supported: Ori has no registered package URL type; give package.name and package.ecosystem "Ori"`);
  if (q.package?.name === undefined) throw new RegistryError("bad_request", `${where}a query names a package: {"package": {"name": "@scope/name", "ecosystem": "Ori"}, "version": "1.2.3"}`);
  const query: OsvQuery = { package: { name: q.package.name, ecosystem: q.package.ecosystem ?? ORI_ECOSYSTEM } };
  if (q.version !== undefined) query.version = q.version;
  if (q.page_token !== undefined) query.page_token = q.page_token;
  return query;
}

function page<T>(p: OsvPage, map: (r: OsvPage["records"][number]) => T): { vulns?: T[]; next_page_token?: string } {
  // osv.dev (protobuf JSON) leaves empty fields out: no match is `{}`.
  return { ...(p.records.length > 0 ? { vulns: p.records.map(map) } : {}), ...(p.nextPageToken ? { next_page_token: p.nextPageToken } : {}) };
}

osvRoutes.post("/query", declare(access.read()), async (c) => {
  const limit = readerLimit(c);
  const query = toQuery(await parseJson(c, Query), "");
  return c.json(page(await queryOsv(c.env, query, limit), (r) => r));
});

osvRoutes.post("/querybatch", declare(access.read()), async (c) => {
  const limit = readerLimit(c);
  const body = await parseJson(c, z.object({ queries: z.array(z.unknown()) }), MAX_BATCH_BYTES);
  if (body.queries.length > OSV_BATCH_LIMIT) throw new RegistryError("bad_request", `too many queries: at most ${OSV_BATCH_LIMIT} in one batch (this one has ${body.queries.length})`);
  const queries = body.queries.map((raw, i) => {
    const parsed = Query.safeParse(raw);
    if (!parsed.success) throw new RegistryError("bad_request", `queries[${i}]: ${parsed.error.issues[0]?.path.join(".") || "(query)"}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    return toQuery(parsed.data, `queries[${i}]: `);
  });
  const pages = await queryOsvBatch(c.env, queries, limit);
  return c.json({ results: pages.map((p) => page(p, (r) => ({ id: r.id, modified: r.modified }))) });
});

osvRoutes.get("/vulns/:id", declare(access.read()), async (c) => c.json(await findAdvisory(c.env, c.req.param("id"), readerLimit(c))));
