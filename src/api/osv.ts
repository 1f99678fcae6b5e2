// The OSV-compatible routes, so any OSV tool pointed at the registry works: POST /v1/query,
// POST /v1/querybatch (at most 1,000 queries, `{id, modified}` only) and GET /v1/vulns/{id},
// with osv.dev's shapes (https://google.github.io/osv.dev/api/) — an empty result is `{}`, a
// page past 1,000 vulnerabilities ends with `next_page_token` — and its error form (`errorBody:
// "osv"`: the gRPC status beside the registry's error, written by the error handler).
import { z } from "zod";
import { OSV_BATCH_LIMIT } from "../advisories/osv-query";
import { OsvBatchResults, OsvQueryRequest, OsvRecord, OsvVulnerabilityList } from "../advisories/wire";
import { access, route } from "./contract";
import { AdvisoryIdPath } from "./params";

/** 1,000 queries of a few hundred bytes each. */
export const MAX_BATCH_BYTES = 1024 * 1024;

export const OsvBatchRequest = z
  .object({
    queries: z.array(OsvQueryRequest).max(OSV_BATCH_LIMIT, {
      error: (issue) =>
        `too many queries: at most ${OSV_BATCH_LIMIT} in one batch (this one has ${Array.isArray(issue.input) ? issue.input.length : "more"})`,
    }),
  })
  .meta({ id: "OsvBatchRequest", description: `At most ${OSV_BATCH_LIMIT} osv.dev queries, answered in order` });

export const osv = {
  query: route({
    methods: ["POST"],
    path: "/v1/query",
    summary: 'OSV query: {package: {name, ecosystem: "Ori"}, version?, page_token?} → {vulns?, next_page_token?}',
    tag: "osv",
    access: access.read(),
    body: { kind: "json", schema: OsvQueryRequest },
    responses: { 200: { description: "the matching records (`{}` when none)", schema: OsvVulnerabilityList } },
    errors: ["bad_request"],
    errorBody: "osv",
  }),
  querybatch: route({
    methods: ["POST"],
    path: "/v1/querybatch",
    summary:
      "OSV batch query: {queries: [...]} (at most 1,000) → {results: [{vulns?: [{id, modified}], next_page_token?}]}",
    tag: "osv",
    access: access.read(),
    body: { kind: "json", schema: OsvBatchRequest, maxBytes: MAX_BATCH_BYTES },
    responses: { 200: { description: "one result per query, in order", schema: OsvBatchResults } },
    errors: ["bad_request"],
    errorBody: "osv",
  }),
  vuln: route({
    methods: ["GET"],
    path: "/v1/vulns/{id}",
    summary: "OSV: one record by id or alias",
    tag: "osv",
    access: access.read(),
    params: AdvisoryIdPath,
    responses: { 200: { description: "the record", schema: OsvRecord } },
    errors: ["advisory_not_found"],
    errorBody: "osv",
  }),
};
