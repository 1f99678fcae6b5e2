// The advisory database (docs/advisories.md): administrators create, replace and withdraw OSV
// records; readers list them by package and version, read one by id or alias with its history,
// audit an oripk.lock, and download the export in osv.dev's layout. The OSV-compatible query
// routes are in osv.ts. The record shapes are src/advisories/wire.ts's.
import { z } from "zod";
import type { ErrorCode } from "../domain/errors";
import { parseListRequest } from "../advisories/list-request";
import { checkSubmission, splitSubmission } from "../advisories/validate";
import { AdvisoryHistory, AdvisoryList, AdvisorySubmission, AuditReport, OsvRecord } from "../advisories/wire";
import { access, route } from "./contract";
import { AdvisoryIdPath } from "./params";
import { text } from "./text";

/** DECISION (limits): a record is at most a few KiB; 256 KiB leaves room for long details in any script. */
export const MAX_ADVISORY_BYTES = 256 * 1024;
/** An oripk.lock of thousands of entries is a few hundred KiB. */
export const MAX_LOCK_BYTES = 1024 * 1024;

/**
 * A submitted record: checked first by the official OSV schema and Ori's rules (their codes and
 * JSON paths: validate.ts), then read as the documented shape, then split into the content and
 * the registry fields a replacement echoed. The document shows `AdvisorySubmission`.
 */
function submission(mode: "create" | "replace") {
  return z
    .preprocess((body) => {
      checkSubmission(body, mode);
      return body;
    }, AdvisorySubmission)
    .transform((body) => splitSubmission(body, mode));
}

/** `?package=&version=&include_withdrawn=&limit=&page_token=`, checked by list-request.ts. */
const ListQuery = z
  .object({
    package: z
      .string()
      .optional()
      .meta({ description: "only this package's advisories, `@scope/name`", example: "@acme/http" }),
    version: z
      .string()
      .optional()
      .meta({ description: "with `package`: only those affecting this version", example: "1.2.0" }),
    include_withdrawn: z.string().optional().meta({ type: "boolean", default: false }),
    limit: z.string().optional().meta({ type: "integer", minimum: 1, maximum: 200, default: 50 }),
    page_token: z.string().optional().meta({ description: "a previous answer's `next_page_token`" }),
  })
  .transform((raw) => parseListRequest(raw));

// Shown next to the record in terminals and pages: one line, no control characters (text.ts).
export const WithdrawRequest = z.object({ reason: text("line", { min: 1, max: 1000 }) });

/** The lock as JSON, for callers that only send JSON. */
export const AuditRequest = z.object({ lockfile: z.string() });

const record = (description: string) => ({ description, schema: OsvRecord });

/** What a submission's checks refuse it with (validate.ts, rules.ts). */
const SUBMISSION_ERRORS = [
  "advisory_schema_invalid",
  "advisory_registry_field",
  "advisory_invalid_package",
  "advisory_invalid_version",
  "advisory_invalid_range",
  "advisory_invalid_severity",
  "advisory_invalid_field",
] as const satisfies readonly ErrorCode[];

/** A file of the export: it lists every package's advisories — like the log's entry bundles, not for a token limited to some packages. */
function exportRoute<P extends `/v1/${string}`>(path: P, summary: string, description: string, contentType: string) {
  return route({
    methods: ["GET"],
    path,
    summary,
    tag: "advisories",
    access: access.read("all-packages"),
    responses: {
      200: { description, contentType },
      304: { description: "If-None-Match named the database's current revision", contentType },
    },
  });
}

export const advisories = {
  exportZip: exportRoute(
    "/v1/advisories/export/all.zip",
    "Every record as <ID>.json in one zip (osv.dev's <ECOSYSTEM>/all.zip layout), withdrawn ones included; ETag, 304",
    "the zip",
    "application/zip",
  ),
  exportCsv: exportRoute(
    "/v1/advisories/export/modified_id.csv",
    "`<modified>,<ID>` per record, newest first, no header (osv.dev's modified_id.csv); ETag, 304",
    "one line per record",
    "text/csv",
  ),
  create: route({
    methods: ["POST"],
    path: "/v1/advisories",
    summary:
      "Create an advisory (an OSV record without id, published, modified, withdrawn); answers the stored record with Location",
    tag: "advisories",
    access: access.registryAdmin(),
    body: { kind: "json", schema: submission("create"), maxBytes: MAX_ADVISORY_BYTES },
    responses: { 201: record("the stored record, with its id and computed scores") },
    errors: [...SUBMISSION_ERRORS, "advisory_alias_taken", "unsupported_media_type"],
  }),
  list: route({
    methods: ["GET"],
    path: "/v1/advisories",
    summary: "Advisories (OSV records), newest first; by package, by version, withdrawn ones on request; paged",
    tag: "advisories",
    access: access.read(),
    query: ListQuery,
    responses: { 200: { description: "a page of records", schema: AdvisoryList } },
    errors: ["bad_request", "invalid_name", "invalid_version", "package_not_found"],
  }),
  get: route({
    methods: ["GET"],
    path: "/v1/advisories/{id}",
    summary: "An advisory by its ORI id or by an alias (CVE, GHSA)",
    tag: "advisories",
    access: access.read(),
    params: AdvisoryIdPath,
    responses: { 200: record("the record") },
    errors: ["advisory_not_found"],
  }),
  history: route({
    methods: ["GET"],
    path: "/v1/advisories/{id}/history",
    summary: "Every version of an advisory, oldest first",
    tag: "advisories",
    access: access.read(),
    params: AdvisoryIdPath,
    responses: { 200: { description: "the record's history", schema: AdvisoryHistory } },
    errors: ["advisory_not_found"],
  }),
  replace: route({
    methods: ["PUT"],
    path: "/v1/advisories/{id}",
    summary:
      "Replace an advisory's content: published stays, modified moves forward (an echoed `modified` must be the current one)",
    tag: "advisories",
    access: access.registryAdmin(),
    params: AdvisoryIdPath,
    body: { kind: "json", schema: submission("replace"), maxBytes: MAX_ADVISORY_BYTES },
    responses: { 200: record("the stored record") },
    errors: [
      ...SUBMISSION_ERRORS,
      "advisory_not_found",
      "advisory_alias_taken",
      "advisory_withdrawn",
      "advisory_modified",
    ],
  }),
  withdraw: route({
    methods: ["POST"],
    path: "/v1/advisories/{id}/withdraw",
    summary: "Withdraw an advisory `{reason}`: it stays readable (marked) and stops matching; final",
    tag: "advisories",
    access: access.registryAdmin(),
    params: AdvisoryIdPath,
    body: { kind: "json", schema: WithdrawRequest },
    responses: { 200: record("the withdrawn record") },
    errors: ["advisory_not_found", "advisory_withdrawn"],
  }),
  audit: route({
    methods: ["POST"],
    path: "/v1/audit",
    summary:
      "Audit an oripk.lock: the advisories affecting each entry's version, entries the registry does not know, checksums that differ from its log",
    tag: "advisories",
    access: access.read(),
    body: {
      kind: "text",
      mediaTypes: ["text/plain", "application/toml", "application/octet-stream"],
      description: "the oripk.lock text",
      maxBytes: MAX_LOCK_BYTES,
      json: AuditRequest,
    },
    responses: { 200: { description: "the audit, entry by entry", schema: AuditReport } },
    errors: ["invalid_lockfile", "bad_request", "unsupported_media_type"],
  }),
};
