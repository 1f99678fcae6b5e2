// The registry's one error type: a stable snake_case code (asserted by tests; its status, public
// message and meaning are in one table, src/api/errors.ts) plus a message a person can act on.
// Messages never carry secrets.

/** Every code raised by the packaging rules (src/domain) and archive processing (src/processing). */
export const DOMAIN_ERROR_CODES = [
  // names.ts
  "invalid_name",
  "reserved_name",
  // versions.ts
  "invalid_version",
  // manifest.ts
  "invalid_manifest",
  "manifest_missing_field",
  "manifest_invalid_field",
  "manifest_has_scripts",
  "invalid_dependency",
  "dependency_not_exact",
  "dependency_on_self",
  // lockfile.ts
  "invalid_lockfile",
  // gunzip.ts
  "not_gzip",
  "truncated_gzip",
  "corrupt_gzip",
  "gzip_trailing_data",
  "decompressed_too_large",
  "compression_ratio_too_high",
  // tar.ts / tar-writer.ts
  "not_tar",
  "corrupt_tar",
  "ambiguous_tar",
  "unsupported_tar_entry",
  "link_not_allowed",
  "special_file_not_allowed",
  "unsafe_path",
  "duplicate_path",
  "too_many_entries",
  "file_too_large",
  "path_not_representable",
  // checksum-file.ts
  "checksum_malformed",
  "checksum_unsorted",
  "checksum_missing_entry",
  "checksum_extra_entry",
  "checksum_mismatch",
  // archive.ts
  "archive_too_large",
  "missing_manifest",
  "missing_lockfile",
  "missing_checksum",
  "missing_src",
  "unexpected_file",
  "name_mismatch",
  "lockfile_mismatch",
  // advisories/ (validate.ts, rules.ts): a submitted OSV record; every message names the JSON path
  "advisory_schema_invalid",
  "advisory_registry_field",
  "advisory_invalid_package",
  "advisory_invalid_version",
  "advisory_invalid_range",
  "advisory_invalid_severity",
  "advisory_invalid_field",
] as const;

/**
 * Codes raised outside domain/ and processing/ (HTTP layer, services, Durable Objects). Listed
 * here so that `ErrorCode` is one closed union the error table must cover; owners of those
 * layers add theirs.
 */
export const SERVICE_ERROR_CODES = [
  "bad_request",
  "unsupported_media_type",
  "unauthorized",
  "forbidden",
  "not_found",
  "route_not_found",
  "package_not_found",
  "version_not_found",
  "version_exists",
  "version_gone",
  "dependency_not_found",
  "version_not_processed",
  "file_not_found",
  "advisory_not_found",
  "advisory_alias_taken",
  "advisory_withdrawn",
  "advisory_modified",
  "conflict",
  "rate_limited",
  "account_rate_limited",
  "token_limit_reached",
  "log_not_configured",
  "internal_error",
] as const;

export const ERROR_CODES = [...DOMAIN_ERROR_CODES, ...SERVICE_ERROR_CODES] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];
export type ServiceErrorCode = (typeof SERVICE_ERROR_CODES)[number];
export type ErrorCode = (typeof ERROR_CODES)[number];

export class RegistryError extends Error {
  override readonly name = "RegistryError";
  readonly code: ErrorCode;
  /** Where the problem is, for tests and tools (a manifest field, a line and column); not sent. */
  readonly details?: Record<string, unknown>;
  /** Seconds after which a retry may succeed (sent as Retry-After). */
  retryAfter?: number;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

export function isRegistryError(err: unknown, code?: ErrorCode): err is RegistryError {
  return err instanceof RegistryError && (code === undefined || err.code === code);
}

/** Quotes user input for a message, cut short so a hostile value cannot flood logs. */
export function quote(value: string, max = 80): string {
  const cut = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(cut);
}
