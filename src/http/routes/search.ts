// Package search: GET /v1/search?q=&limit=&offset= — ranked name, keyword and description
// search over each package's latest listed version. Answered by the SearchIndex projection,
// which the queue keeps up to date (eventually consistent, see docs/consistency.md).
import { api } from "../../api";
import { grantCoversPackage } from "../../domain/access";
import { Search } from "../../services/search";
import { isPrivate } from "../middleware/private-mode";
import { implement } from "../implement";

export const searchRoutes = implement(api.search, {
  search: async (c, { query: { q, limit, offset } }) => {
    // A private registry does not reveal packages outside a limited token's patterns: the index
    // filters by them (so totals and pages stay right), and we check each hit again here.
    const principal = c.get("principal");
    const limitedTo = isPrivate(c) && principal?.packages ? principal.packages : null;
    const found = await new Search(c.env).search(q, limit, offset, limitedTo);
    const results = limitedTo
      ? found.results.filter((r) => grantCoversPackage({ packages: limitedTo }, r.name))
      : found.results;
    return { status: 200, body: { query: q, total: found.total, limit, offset, results } };
  },
});
