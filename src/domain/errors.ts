// The registry's one error type: a stable snake_case code (asserted by tests, mapped to an HTTP
// status in one table) plus a message a person can act on. Messages never carry secrets.

/** Every code raised by the packaging rules (src/domain) and archive processing (src/processing). */
export const DOMAIN_ERROR_CODES = [
  // names.ts
  "invalid_name", // not `@scope/name` with lowercase a-z, 0-9 and single inner hyphens, ≤ 64 chars
  "reserved_name", // scope or name is reserved (test, build, std…, …)
  // versions.ts
  "invalid_version", // not SemVer 2.0 MAJOR.MINOR.PATCH[-pre.release] (no build metadata, no leading zeros, ≤ 64 chars)
  // manifest.ts
  "invalid_manifest", // oripk.toml is not UTF-8 / not Ori's TOML (line, column; a bare key that is not a dependency) / a section has the wrong type
  "manifest_missing_field", // a required field ([project], name, version, description, ori) is absent
  "manifest_invalid_field", // a field has the wrong type, is too long, or breaks its charset/URL rule
  "manifest_has_scripts", // a [scripts] table survived into the published manifest
  "invalid_dependency", // a dependency's name or shape is invalid (bad name, path/git dependency, two versions of one package…)
  "dependency_not_exact", // a dependency's version is a range, `*`, missing, or not exact SemVer
  "dependency_on_self", // the package depends on itself
  // lockfile.ts
  "invalid_lockfile", // oripk.lock is not a [checksums] table of `"@scope/name:1.2.3" = "sha256:<64 hex>"` lines
  // gunzip.ts
  "not_gzip", // bad gzip magic or compression method
  "truncated_gzip", // the gzip stream ends early
  "corrupt_gzip", // invalid deflate data, bad header flags, CRC32 or length mismatch
  "gzip_trailing_data", // bytes after the gzip member (a second member or garbage)
  "decompressed_too_large", // decompressed size exceeds the limit
  "compression_ratio_too_high", // decompressed/compressed ratio exceeds the limit (gzip bomb)
  // tar.ts / tar-writer.ts
  "not_tar", // the decompressed data does not start with a valid tar header
  "corrupt_tar", // a later header has a bad checksum, a field is malformed, data is cut short
  "ambiguous_tar", // a tar feature common readers read differently (docs/archive-rules.md: the canonical subset)
  "unsupported_tar_entry", // sparse files, base-256 numbers, unknown entry types, path-changing global headers
  "link_not_allowed", // symlinks and hard links
  "special_file_not_allowed", // devices, FIFOs, contiguous files
  "unsafe_path", // not a portable path: absolute, `..`, Windows-reserved name or character, invisible/bidi character, too long/deep…
  "duplicate_path", // same path twice (also file vs directory, or equal after case folding and NFKC)
  "too_many_entries", // more tar entries than allowed
  "file_too_large", // a file exceeds its size limit
  "path_not_representable", // the tar writer cannot fit a path into ustar name+prefix
  // checksum-file.ts
  "checksum_malformed", // a CHECKSUM line is not `sha256:<64 hex>  <path>`
  "checksum_unsorted", // CHECKSUM lines are not strictly sorted by path (or a path is listed twice)
  "checksum_missing_entry", // a file in the archive is not listed in CHECKSUM
  "checksum_extra_entry", // CHECKSUM lists a file the archive does not contain
  "checksum_mismatch", // a file's sha256 differs from its CHECKSUM line
  // archive.ts
  "archive_too_large", // compressed archive exceeds the limit (HTTP 413)
  "missing_manifest", // no oripk.toml at the archive root
  "missing_lockfile", // no oripk.lock at the archive root
  "missing_checksum", // no CHECKSUM at the archive root
  "missing_src", // no file under src/
  "unexpected_file", // a top-level file or directory outside the allowed set
  "name_mismatch", // manifest name differs from the package published to
  "lockfile_mismatch", // a registry dependency (runtime or dev) has no lock line at its exact version
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
  "dependency_not_found", // a pinned dependency (runtime or dev) is not in this registry at that version, or was removed
  "conflict",
  "rate_limited",
  "account_rate_limited",
  "token_limit_reached",
  "malformed_proof",
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
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

export function isErrorCode(value: string): value is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(value);
}

export function isRegistryError(err: unknown, code?: ErrorCode): err is RegistryError {
  return err instanceof RegistryError && (code === undefined || err.code === code);
}

/** Quotes user input for a message, cut short so a hostile value cannot flood logs. */
export function quote(value: string, max = 80): string {
  const cut = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(cut);
}
