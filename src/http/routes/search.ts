// Package search: GET /v1/search?q=&limit=&offset= — ranked name, keyword and description
// search over each package's latest listed version. Answered by the SearchIndex projection,
// which the queue keeps up to date (eventually consistent, see docs/consistency.md).
import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { grantCoversPackage } from "../../domain/access";
import { RegistryError } from "../../domain/errors";
import { parseSearchRequest, type SearchResponse } from "../../domain/search";
import { SEARCH_INDEX_NAME } from "../../storage/keys";
import { isPrivate } from "../middleware/private-mode";
import { access } from "../middleware/route-access";

export const searchRoutes = new Hono<AppEnv>();

searchRoutes.get("/search", access.read(), async (c) => {
  const { q, limit, offset } = parseSearchRequest({ q: c.req.query("q"), limit: c.req.query("limit"), offset: c.req.query("offset") });
  // A private registry does not reveal packages outside a limited token's patterns: the index
  // filters by them (so totals and pages stay right), and we check each hit again here.
  const principal = c.get("principal");
  const limitedTo = isPrivate(c) && principal?.packages ? principal.packages : null;
  const found = await c.env.SEARCH_INDEX.getByName(SEARCH_INDEX_NAME).search(q, limit, offset, limitedTo);
  if (!found.ok) throw new RegistryError(found.code, found.message);
  const results = limitedTo ? found.value.results.filter((r) => grantCoversPackage({ packages: limitedTo }, r.name)) : found.value.results;
  const body: SearchResponse = { query: q, total: found.value.total, limit, offset, results };
  return c.json(body);
});
