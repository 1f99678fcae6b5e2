// Package search: ranked name, keyword and description search over each package's latest listed
// version (eventually consistent: the queue keeps the index up to date).
import { z } from "zod";
import { parseSearchRequest, SEARCH_LIMITS } from "../domain/search";
import { access, route } from "./contract";
import { Count, named, SearchHit } from "./shapes";

const { minQuery, maxQuery, defaultLimit, maxLimit, maxOffset } = SEARCH_LIMITS;

/** `?q=&limit=&offset=`, checked by the domain's rule (a 400 that says what to send instead). */
export const SearchQuery = z
  .object({
    q: z
      .string({ error: `give a search query of ${minQuery}–${maxQuery} characters as ?q=…` })
      .meta({ minLength: minQuery, maxLength: maxQuery, example: "json" }),
    limit: z.string().optional().meta({ type: "integer", minimum: 1, maximum: maxLimit, default: defaultLimit }),
    offset: z.string().optional().meta({ type: "integer", minimum: 0, maximum: maxOffset, default: 0 }),
  })
  .transform((raw) => parseSearchRequest(raw));

export const SearchResults = named(
  "SearchResults",
  "One page of search results; `total` counts every match",
  z.object({ query: z.string(), total: Count, limit: Count, offset: Count, results: z.array(SearchHit) }),
);

export const search = {
  search: route({
    methods: ["GET"],
    path: "/v1/search",
    summary:
      "Ranked package search over names, keywords, categories and descriptions of each package's latest listed version (exact name first, last word a prefix); eventually consistent",
    tag: "search",
    access: access.read(),
    query: SearchQuery,
    responses: { 200: { description: "one page of results", schema: SearchResults } },
    errors: ["bad_request"],
  }),
};

export type SearchResults = z.output<typeof SearchResults>;
