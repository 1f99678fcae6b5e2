// Every error code the registry answers with: its HTTP status, what a caller is told, and what
// it means (docs/errors.md is generated from this table: `npm run docs:errors`; a test checks
// it is up to date). A Record over the closed ErrorCode union, so a code without an entry
// fails to compile. The one place a code becomes an answer: publicMessage() and errorAnswer()
// (in the route's error form: the registry's, or osv.dev's on the OSV routes), used by the error
// handler for RegistryErrors, unknown routes and unexpected faults alike.
import type { ErrorCode } from "../domain/errors";
import type { ErrorBody, OsvErrorBody } from "./shapes";

export interface ErrorSpec {
  status: number;
  /**
   * What the answer's message is: `raised`, the error's own message (written for the caller;
   * shown with control characters escaped, as it may quote what the caller sent), or
   * `generic`, a fixed text with the request id, when the raised message is for the operator's
   * log only (a server fault may name storage keys or internal state).
   */
  message: "raised" | "generic";
  /** One line for docs/errors.md. */
  meaning: string;
}

export const ERRORS: Record<ErrorCode, ErrorSpec> = {
  // names and versions (in a URL or a manifest)
  invalid_name: {
    status: 400,
    message: "raised",
    meaning: "not `@scope/name` with lowercase a-z, 0-9 and single inner hyphens, ≤ 64 chars",
  },
  reserved_name: { status: 400, message: "raised", meaning: "scope or name is reserved (test, build, std…, …)" },
  invalid_version: {
    status: 400,
    message: "raised",
    meaning:
      "not SemVer 2.0 `MAJOR.MINOR.PATCH[-pre.release]`: no build metadata (`+…`), no leading zeros, at most 64 characters",
  },
  // manifest and lock file
  invalid_manifest: {
    status: 400,
    message: "raised",
    meaning:
      "oripk.toml is not UTF-8 / not Ori's TOML (the message has the line and column; a bare key that is not a dependency) / a section has the wrong type",
  },
  manifest_missing_field: {
    status: 400,
    message: "raised",
    meaning: "a required field ([project], name, version, description, ori) is absent",
  },
  manifest_invalid_field: {
    status: 400,
    message: "raised",
    meaning:
      "a field has the wrong type, is too long, or breaks its charset/URL rule; a feature names nothing it may name; an entry point is not in the archive",
  },
  manifest_has_scripts: {
    status: 400,
    message: "raised",
    meaning: "a [scripts] table survived into the published manifest",
  },
  invalid_dependency: {
    status: 400,
    message: "raised",
    meaning:
      "a dependency's name or shape is invalid (bad name, path/git dependency, one package at two versions, a std module listed twice…)",
  },
  dependency_not_exact: {
    status: 400,
    message: "raised",
    meaning:
      "a dependency's version is a range (`^1.0`, `~1.2`, `>=1`), `*`, missing (`@scope/name` alone on a line), or not exact SemVer",
  },
  dependency_on_self: { status: 400, message: "raised", meaning: "the package depends on itself" },
  invalid_lockfile: {
    status: 400,
    message: "raised",
    meaning:
      'oripk.lock is not a `[checksums]` table of `"@scope/name:1.2.3" = "sha256:<64 lowercase hex>"` lines (a range or build suffix in a key, another digest, a key outside the table)',
  },
  // gzip and tar
  not_gzip: { status: 400, message: "raised", meaning: "bad gzip magic or compression method" },
  truncated_gzip: { status: 400, message: "raised", meaning: "the gzip stream ends early" },
  corrupt_gzip: {
    status: 400,
    message: "raised",
    meaning: "invalid deflate data, bad header flags, CRC32 or length mismatch",
  },
  gzip_trailing_data: {
    status: 400,
    message: "raised",
    meaning: "bytes after the gzip member (a second member or garbage)",
  },
  decompressed_too_large: { status: 413, message: "raised", meaning: "decompressed size exceeds the limit" },
  compression_ratio_too_high: {
    status: 400,
    message: "raised",
    meaning: "decompressed/compressed ratio exceeds the limit (gzip bomb)",
  },
  not_tar: { status: 400, message: "raised", meaning: "the decompressed data does not start with a valid tar header" },
  corrupt_tar: {
    status: 400,
    message: "raised",
    meaning: "a later header has a bad checksum, a field is malformed, data is cut short",
  },
  ambiguous_tar: {
    status: 400,
    message: "raised",
    meaning:
      "a tar feature common readers read differently: outside the canonical subset of [archive-rules.md](archive-rules.md#tar-the-canonical-subset)",
  },
  unsupported_tar_entry: {
    status: 400,
    message: "raised",
    meaning: "sparse files, base-256 numbers, unknown entry types, path-changing global headers",
  },
  link_not_allowed: { status: 400, message: "raised", meaning: "symlinks and hard links" },
  special_file_not_allowed: { status: 400, message: "raised", meaning: "devices, FIFOs, contiguous files" },
  unsafe_path: {
    status: 400,
    message: "raised",
    meaning:
      "not a [portable path](archive-rules.md#paths): absolute, `..`, Windows-reserved name or character, invisible/bidi character, too long/deep…",
  },
  duplicate_path: {
    status: 400,
    message: "raised",
    meaning: "same path twice (also file vs directory, or equal after case folding and NFKC)",
  },
  too_many_entries: { status: 400, message: "raised", meaning: "more tar entries than allowed" },
  file_too_large: { status: 413, message: "raised", meaning: "a file exceeds its size limit" },
  path_not_representable: {
    status: 400,
    message: "raised",
    meaning: "the tar writer cannot fit a path into ustar name+prefix",
  },
  // CHECKSUM
  checksum_malformed: { status: 400, message: "raised", meaning: "a CHECKSUM line is not `sha256:<64 hex>  <path>`" },
  checksum_unsorted: {
    status: 400,
    message: "raised",
    meaning: "CHECKSUM lines are not strictly sorted by path (or a path is listed twice)",
  },
  checksum_missing_entry: {
    status: 400,
    message: "raised",
    meaning: "a file in the archive is not listed in CHECKSUM",
  },
  checksum_extra_entry: {
    status: 400,
    message: "raised",
    meaning: "CHECKSUM lists a file the archive does not contain",
  },
  checksum_mismatch: { status: 400, message: "raised", meaning: "a file's sha256 differs from its CHECKSUM line" },
  // archive layout
  archive_too_large: { status: 413, message: "raised", meaning: "compressed archive exceeds the limit (HTTP 413)" },
  missing_manifest: { status: 400, message: "raised", meaning: "no oripk.toml at the archive root" },
  missing_lockfile: { status: 400, message: "raised", meaning: "no oripk.lock at the archive root" },
  missing_checksum: { status: 400, message: "raised", meaning: "no CHECKSUM at the archive root" },
  missing_src: { status: 400, message: "raised", meaning: "no file under src/" },
  unexpected_file: { status: 400, message: "raised", meaning: "a top-level file or directory outside the allowed set" },
  name_mismatch: { status: 400, message: "raised", meaning: "manifest name differs from the package published to" },
  lockfile_mismatch: {
    status: 400,
    message: "raised",
    meaning:
      "a registry dependency (runtime or dev) has no lock line at its exact version, or its line's checksum is not the one the registry logged",
  },
  // advisories (src/advisories/validate.ts, rules.ts): a submitted OSV record; every message starts with the JSON path
  advisory_schema_invalid: {
    status: 400,
    message: "raised",
    meaning:
      "an advisory breaks the OSV JSON Schema 1.7.5 (patched for Ori's id and ecosystem); the message starts with the JSON path, e.g. `affected[0].ranges[0].events`",
  },
  advisory_registry_field: {
    status: 400,
    message: "raised",
    meaning:
      "an advisory submission sets `id`, `published`, `modified` or `withdrawn` (only the registry sets them; a replacement may echo them unchanged)",
  },
  advisory_invalid_package: {
    status: 400,
    message: "raised",
    meaning: "an affected package is not a valid Ori name, carries a `purl`, or the advisory names no package",
  },
  advisory_invalid_version: {
    status: 400,
    message: "raised",
    meaning: "a version in `versions` or a SEMVER event is not a valid Ori version",
  },
  advisory_invalid_range: {
    status: 400,
    message: "raised",
    meaning:
      "a range breaks Ori's rules: two keys in an event, `limit` in a SEMVER range, an ECOSYSTEM range, `introduced` = `fixed`, an entry with neither ranges nor versions",
  },
  advisory_invalid_severity: {
    status: 400,
    message: "raised",
    meaning:
      "a severity is not a well-formed CVSS v3.0/v3.1/v4.0 vector (every base metric once), is CVSS v2 or Ubuntu, or repeats a type",
  },
  advisory_invalid_field: {
    status: 400,
    message: "raised",
    meaning:
      "another field breaks Ori's limits: summary (one line, ≤ 256), details, aliases (another database's id, once), related/upstream, reference URLs (http/https only), credits",
  },
  // requests, auth, resources
  bad_request: {
    status: 400,
    message: "raised",
    meaning: "the request is malformed (empty body, bad JSON, missing form field, bad query)",
  },
  unsupported_media_type: {
    status: 415,
    message: "raised",
    meaning: "the Content-Type is not one the endpoint accepts",
  },
  unauthorized: {
    status: 401,
    message: "raised",
    meaning: "no token, or a malformed, unknown, expired or revoked one (with WWW-Authenticate)",
  },
  forbidden: {
    status: 403,
    message: "raised",
    meaning: "a valid token without the needed scope, package or ownership",
  },
  not_found: { status: 404, message: "raised", meaning: "an account, token, tile or transfer that does not exist" },
  route_not_found: { status: 404, message: "raised", meaning: "no such route" },
  package_not_found: {
    status: 404,
    message: "raised",
    meaning: "no such package (also for packages a private registry hides from the token)",
  },
  version_not_found: { status: 404, message: "raised", meaning: "the package has no such version" },
  version_exists: {
    status: 409,
    message: "raised",
    meaning: "the version is already published (or logged) with other bytes",
  },
  version_gone: {
    status: 410,
    message: "raised",
    meaning: "an administrator removed or deleted the version; the message has the reason",
  },
  dependency_not_found: {
    status: 400,
    message: "raised",
    meaning:
      "publish: a pinned dependency (runtime or dev) is not in this registry at that version, or an administrator removed or deleted it",
  },
  version_not_processed: {
    status: 409,
    message: "raised",
    meaning:
      "the version's files and README are not ready: its processing is still pending (retry in a few seconds) or failed (the message has the reason)",
  },
  file_not_found: { status: 404, message: "raised", meaning: "the version's archive has no file at this path" },
  advisory_not_found: {
    status: 404,
    message: "raised",
    meaning: "no advisory has this id or alias (also one a package-limited token may not see in private mode)",
  },
  advisory_alias_taken: {
    status: 409,
    message: "raised",
    meaning: "another advisory already has this alias: at most one Ori advisory per CVE/GHSA id",
  },
  advisory_withdrawn: {
    status: 409,
    message: "raised",
    meaning: "the advisory was withdrawn: it is not replaced or withdrawn again",
  },
  advisory_modified: {
    status: 409,
    message: "raised",
    meaning: "a replacement echoed a `modified` time that is no longer the record's: it changed meanwhile",
  },
  conflict: {
    status: 409,
    message: "raised",
    meaning: "the change conflicts with the current state (existing account, last owner, …)",
  },
  rate_limited: {
    status: 429,
    message: "raised",
    meaning: "over a rate limit (this token's, or this address's); see Retry-After",
  },
  account_rate_limited: {
    status: 429,
    message: "raised",
    meaning:
      "the account's tokens together are over the account's budget (requests per minute, or tokens created per hour); see Retry-After",
  },
  token_limit_reached: {
    status: 409,
    message: "raised",
    meaning: "the account already holds the most live tokens it may (50): revoke one first",
  },
  log_not_configured: {
    status: 503,
    message: "raised",
    meaning: "the server has no log signing key (LOG_SIGNING_KEY)",
  },
  internal_error: { status: 500, message: "generic", meaning: "a server fault; the message has the request id" },
};

export function statusOf(code: ErrorCode): number {
  return ERRORS[code].status;
}

/** The message a caller sees for an error with this code and raised message. */
export function publicMessage(code: ErrorCode, raised: string, requestId: string | null): string {
  return ERRORS[code].message === "raised" ? raised : `an internal error occurred (request ${requestId ?? "unknown"})`;
}

/**
 * osv.dev answers errors as gRPC statuses in JSON (`{"code": 3, "message": "…"}`, its
 * `rpcStatus`), which OSV tools read: the google.rpc.Code for each status the registry answers.
 */
export function grpcCodeOf(status: number): number {
  if (status === 401) return 16; // UNAUTHENTICATED
  if (status === 403) return 7; // PERMISSION_DENIED
  if (status === 404) return 5; // NOT_FOUND
  if (status === 409) return 6; // ALREADY_EXISTS
  if (status === 429) return 8; // RESOURCE_EXHAUSTED
  if (status === 503) return 14; // UNAVAILABLE
  if (status >= 500) return 13; // INTERNAL
  return 3; // INVALID_ARGUMENT
}

/** An error answer's body in the route's declared form (the contract's `errorBody`). */
export function errorAnswer(form: "registry" | "osv", code: ErrorCode, message: string): ErrorBody | OsvErrorBody {
  const error = { error: { code, message } };
  return form === "osv" ? { code: grpcCodeOf(statusOf(code)), message, ...error } : error;
}

/** docs/errors.md's table, as generated from ERRORS. */
export function errorsMarkdownTable(): string {
  const message = (e: ErrorSpec) => (e.message === "raised" ? "as raised" : "generic, with the request id");
  const rows = Object.entries(ERRORS).map(
    ([code, e]) => `| \`${code}\` | ${e.status} | ${message(e)} | ${e.meaning} |`,
  );
  return ["| code | status | message | meaning |", "|---|---|---|---|", ...rows].join("\n");
}
