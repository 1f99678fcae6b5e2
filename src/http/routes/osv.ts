// The OSV-compatible routes (contract: src/api/osv.ts, with osv.dev's shapes and error form):
// POST /v1/query, POST /v1/querybatch (`{id, modified}` only) and GET /v1/vulns/{id}.
import { api } from "../../api";
import { toOsvQuery, type OsvPage } from "../../advisories/osv-query";
import { findAdvisory, queryOsv, queryOsvBatch } from "../../services/advisory-service";
import { readerLimit } from "../advisory-access";
import { implement } from "../implement";

function page<T>(p: OsvPage, map: (r: OsvPage["records"][number]) => T): { vulns?: T[]; next_page_token?: string } {
  // osv.dev (protobuf JSON) leaves empty fields out: no match is `{}`.
  return {
    ...(p.records.length > 0 ? { vulns: p.records.map(map) } : {}),
    ...(p.nextPageToken ? { next_page_token: p.nextPageToken } : {}),
  };
}

export const osvRoutes = implement(api.osv, {
  query: async (c, { body }) => {
    const limit = readerLimit(c);
    const query = toOsvQuery(await body());
    return { status: 200, body: page(await queryOsv(c.env, query, limit), (r) => r) };
  },

  querybatch: async (c, { body }) => {
    const limit = readerLimit(c);
    const queries = (await body()).queries.map((q, i) => toOsvQuery(q, `queries[${i}]: `));
    const pages = await queryOsvBatch(c.env, queries, limit);
    return { status: 200, body: { results: pages.map((p) => page(p, (r) => ({ id: r.id, modified: r.modified }))) } };
  },

  vuln: async (c, { params: { id } }) => ({ status: 200, body: await findAdvisory(c.env, id, readerLimit(c)) }),
});
