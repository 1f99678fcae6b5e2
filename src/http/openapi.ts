// The OpenAPI 3.1 document of the v1 API, served at /v1/openapi.json. A test checks that every
// route the app registers is documented here and that nothing documented is missing a route.
import { errorTable } from "./error-table";

type Op = { summary: string; auth: "none" | "read" | "publish" | "admin" | "token"; tag: string; body?: Record<string, unknown>; responses?: Record<string, string>; query?: unknown[] };

const pkg = [
  { name: "scope", in: "path", required: true, schema: { type: "string", example: "@acme" }, description: "`@acme` or `acme`" },
  { name: "name", in: "path", required: true, schema: { type: "string", example: "http" } },
];
const ver = [...pkg, { name: "version", in: "path", required: true, schema: { type: "string", example: "1.0.0" }, description: "SemVer 2.0, e.g. `1.0.0` or `1.0.0-beta.1` (no build metadata)" }];

const json = (properties: Record<string, unknown>, required: string[] = []) => ({ type: "object", properties, required });

const OPERATIONS: Record<string, Record<string, Op>> = {
  "/v1/health": { get: { summary: "Liveness", auth: "none", tag: "monitoring" } },
  "/v1/openapi.json": { get: { summary: "This document", auth: "none", tag: "monitoring" } },
  "/v1/packages/{scope}/{name}/publish": {
    post: {
      summary: "Publish a version: raw application/gzip body, or multipart/form-data with the field `archive`",
      auth: "publish",
      tag: "packages",
      responses: {
        "201": "published",
        "200": "the same bytes were already published",
        "400": "the archive breaks a packaging rule (e.g. dependency_not_exact, invalid_lockfile, lockfile_mismatch, dependency_not_found)",
        "409": "version_exists",
        "413": "archive_too_large",
      },
    },
  },
  "/v1/packages/{scope}/{name}/versions": {
    get: {
      summary: "`{name, latest, versions}`: every version in SemVer precedence order with checksums and lifecycle flags; `latest` is the highest available stable version (a pre-release only while there is no stable one) (ETag)",
      auth: "read",
      tag: "packages",
    },
  },
  "/v1/packages/{scope}/{name}/{version}/metadata": {
    get: {
      summary:
        "Manifest fields (funding, edition, entry {lib, main}), dependencies and devDependencies ({name, version, features, defaultFeatures}), bundled stdDependencies and devStdDependencies ({name, version|null}), features, prerelease, sha256, size, log index (ETag)",
      auth: "read",
      tag: "packages",
    },
  },
  "/v1/packages/{scope}/{name}/{version}/download": {
    get: { summary: "The archive: immutable caching, ETag, Repr-Digest, 304 on If-None-Match; 410 when removed", auth: "read", tag: "packages" },
    head: { summary: "The archive's headers", auth: "read", tag: "packages" },
  },
  "/v1/packages/{scope}/{name}/{version}/yank": { post: { summary: "Hide a version from resolution (it still downloads)", auth: "publish", tag: "lifecycle" } },
  "/v1/packages/{scope}/{name}/{version}/unyank": { post: { summary: "Restore a yanked version", auth: "publish", tag: "lifecycle" } },
  "/v1/packages/{scope}/{name}/{version}/deprecate": {
    post: { summary: "Set a deprecation message (an empty message clears it)", auth: "publish", tag: "lifecycle", body: json({ message: { type: "string", maxLength: 1000 } }, ["message"]) },
  },
  "/v1/packages/{scope}/{name}/{version}/remove": {
    post: { summary: "Admin emergency removal: the version answers 410 everywhere", auth: "admin", tag: "lifecycle", body: json({ reason: { type: "string" } }, ["reason"]) },
  },
  "/v1/packages/{scope}/{name}/{version}": {
    delete: { summary: "Admin delete: the archive is gone for good; the log entry stays", auth: "admin", tag: "lifecycle" },
  },
  "/v1/packages/{scope}/{name}/audit": { get: { summary: "The package's audit trail (owners and admins)", auth: "token", tag: "lifecycle" } },
  "/v1/packages/{scope}/{name}/owners": {
    get: { summary: "The package's owners", auth: "read", tag: "ownership" },
    post: { summary: "Add an owner", auth: "admin", tag: "ownership", body: json({ username: { type: "string" } }, ["username"]) },
  },
  "/v1/packages/{scope}/{name}/owners/{username}": { delete: { summary: "Remove an owner", auth: "admin", tag: "ownership" } },
  "/v1/packages/{scope}/{name}/transfer": {
    post: {
      summary: "Transfer: the owner offers `{to}`, the recipient accepts `{accept: true}`, either side cancels `{cancel: true}`",
      auth: "admin",
      tag: "ownership",
      body: { oneOf: [json({ to: { type: "string" } }, ["to"]), json({ accept: { const: true } }, ["accept"]), json({ cancel: { const: true } }, ["cancel"])] },
    },
  },
  "/v1/scopes/{scope}/members": {
    get: { summary: "The scope's owners and members", auth: "read", tag: "ownership" },
    post: { summary: "Add a member (or change a role)", auth: "admin", tag: "ownership", body: json({ username: { type: "string" }, role: { enum: ["owner", "member"] } }, ["username"]) },
  },
  "/v1/scopes/{scope}/members/{username}": { delete: { summary: "Remove a member", auth: "admin", tag: "ownership" } },
  "/v1/me": { get: { summary: "Who the token belongs to, with its scopes", auth: "token", tag: "accounts" } },
  "/v1/admin/users": {
    post: { summary: "Create an account (returns its first token)", auth: "admin", tag: "accounts", body: json({ username: { type: "string" }, admin: { type: "boolean" } }, ["username"]) },
  },
  "/v1/tokens": {
    get: { summary: "The caller's tokens (never their secrets)", auth: "token", tag: "accounts" },
    post: {
      summary: "Mint a token with no more rights than the caller's",
      auth: "token",
      tag: "accounts",
      body: json(
        {
          name: { type: "string" },
          scopes: { type: "array", items: { enum: ["read", "publish", "admin"] } },
          packages: { type: "array", items: { type: "string", example: "@acme/*" } },
          expires_in_days: { type: "integer", minimum: 1 },
        },
        ["name", "scopes"],
      ),
    },
  },
  "/v1/tokens/{id}": { delete: { summary: "Revoke a token", auth: "token", tag: "accounts" } },
  "/v1/log/key": { get: { summary: "The log's verifier key (name+id+base64)", auth: "none", tag: "log" } },
  "/v1/log/checkpoint": { get: { summary: "The latest signed checkpoint (C2SP tlog-checkpoint)", auth: "read", tag: "log" } },
  "/v1/log/tile/{path}": { get: { summary: "tlog-tiles hash tiles: tile/<L>/<N>[.p/<W>]", auth: "read", tag: "log" } },
  "/v1/log/tile/entries/{path}": { get: { summary: "tlog-tiles entry bundles: tile/entries/<N>[.p/<W>] (they list every package: in private mode, not for package-limited tokens)", auth: "read", tag: "log" } },
  "/v1/log/lookup/{scope}/{name}/{version}": { get: { summary: "A version's log entry, index, latest checkpoint and inclusion proof", auth: "read", tag: "log" } },
  "/v1/search": {
    get: {
      summary: "Ranked package search over names, keywords, categories and descriptions of each package's latest listed version (exact name first, last word a prefix); eventually consistent",
      auth: "read",
      tag: "search",
      query: [
        { name: "q", in: "query", required: true, schema: { type: "string", minLength: 1, maxLength: 100, example: "json" } },
        { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 20 } },
        { name: "offset", in: "query", schema: { type: "integer", minimum: 0, maximum: 1000, default: 0 } },
      ],
      responses: { "200": "`{query, total, limit, offset, results: [{name, version, description, keywords, deprecated, score}]}`", "400": "bad_request" },
    },
  },
  "/v1/log/proof/consistency": { get: { summary: "Consistency proof between tree sizes ?from=&to=", auth: "read", tag: "log" } },
  "/v1/advisories": {
    get: {
      summary: "Advisories (OSV records), newest first; ?package=@scope/name[&version=1.2.3][&include_withdrawn=true]&limit=&page_token=",
      auth: "read",
      tag: "advisories",
      query: [
        { name: "package", in: "query", schema: { type: "string", example: "@acme/http" } },
        { name: "version", in: "query", schema: { type: "string", example: "1.2.0" } },
        { name: "include_withdrawn", in: "query", schema: { type: "boolean", default: false } },
        { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 200, default: 50 } },
        { name: "page_token", in: "query", schema: { type: "string" } },
      ],
      responses: { "200": "`{advisories: [OSV record], next_page_token?}`" },
    },
    post: { summary: "Create an advisory (an OSV record without id, published, modified, withdrawn); answers the stored record", auth: "admin", tag: "advisories", body: { type: "object" }, responses: { "201": "the stored OSV record" } },
  },
  "/v1/advisories/{id}": {
    get: { summary: "An advisory by its ORI id or by an alias (CVE, GHSA)", auth: "read", tag: "advisories" },
    put: { summary: "Replace an advisory's content (modified moves forward; an echoed `modified` must be current)", auth: "admin", tag: "advisories", body: { type: "object" } },
  },
  "/v1/advisories/{id}/history": { get: { summary: "Every version of an advisory, oldest first", auth: "read", tag: "advisories" } },
  "/v1/advisories/{id}/withdraw": { post: { summary: "Withdraw an advisory `{reason}`: it stays readable and stops matching", auth: "admin", tag: "advisories", body: json({ reason: { type: "string" } }, ["reason"]) } },
  "/v1/advisories/export/all.zip": { get: { summary: "Every record as <ID>.json in one zip (osv.dev's <ECOSYSTEM>/all.zip layout)", auth: "read", tag: "advisories" } },
  "/v1/advisories/export/modified_id.csv": { get: { summary: "`<modified>,<ID>` per record, newest first (osv.dev's modified_id.csv)", auth: "read", tag: "advisories" } },
  "/v1/audit": { post: { summary: "Audit an oripk.lock (text/plain body, or JSON {lockfile}): advisories per entry, unknown entries, checksum mismatches", auth: "read", tag: "advisories" } },
  "/v1/query": { post: { summary: "OSV query: {package: {name, ecosystem: \"Ori\"}, version?, page_token?} → {vulns?, next_page_token?}", auth: "read", tag: "osv", body: { type: "object" } } },
  "/v1/querybatch": { post: { summary: "OSV batch query: {queries: [...]} (at most 1,000) → {results: [{vulns?: [{id, modified}], next_page_token?}]}", auth: "read", tag: "osv", body: { type: "object" } } },
  "/v1/vulns/{id}": { get: { summary: "OSV: one record by id or alias", auth: "read", tag: "osv" } },
};

function parameters(path: string) {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const known = [...ver];
  return names.map((n) => known.find((p) => p.name === n) ?? { name: n, in: "path", required: true, schema: { type: "string" } });
}

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, ops] of Object.entries(OPERATIONS)) {
    paths[path] = {};
    for (const [method, op] of Object.entries(ops)) {
      paths[path]![method] = {
        summary: op.summary,
        tags: [op.tag],
        parameters: [...parameters(path), ...(op.query ?? [])],
        security: op.auth === "none" ? [] : [{ bearer: op.auth === "token" ? [] : [op.auth] }],
        ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: op.body } } } } : {}),
        responses: {
          ...Object.fromEntries(Object.entries(op.responses ?? { "200": "success" }).map(([s, d]) => [s, { description: d }])),
          default: { description: "error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
        },
      };
    }
  }
  return {
    openapi: "3.1.0",
    info: { title: "Ori package registry", version: "1" },
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "a registry token `ori_…`" } },
      schemas: {
        Error: json({ error: json({ code: { enum: errorTable().map(([code]) => code) }, message: { type: "string" } }, ["code", "message"]) }, ["error"]),
      },
    },
  };
}

/** Documented (method, path) pairs in Hono's `:param` form, for the route-coverage test. */
export function documentedRoutes(): string[] {
  return Object.entries(OPERATIONS).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace("{path}", "*").replace(/\{(\w+)\}/g, ":$1")}`),
  );
}
