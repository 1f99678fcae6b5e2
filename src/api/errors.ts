// Every error code the registry answers with, and its HTTP status. A Record over the closed
// ErrorCode union: adding a code without a status here fails to compile.
import type { ErrorCode } from "../domain/errors";

const STATUS: Record<ErrorCode, number> = {
  // names and versions (in a URL or a manifest)
  invalid_name: 400,
  reserved_name: 400,
  invalid_version: 400,
  // manifest and lock file
  invalid_manifest: 400,
  manifest_missing_field: 400,
  manifest_invalid_field: 400,
  manifest_has_scripts: 400,
  invalid_dependency: 400,
  dependency_not_exact: 400,
  dependency_on_self: 400,
  invalid_lockfile: 400,
  // gzip and tar
  not_gzip: 400,
  truncated_gzip: 400,
  corrupt_gzip: 400,
  gzip_trailing_data: 400,
  decompressed_too_large: 413,
  compression_ratio_too_high: 400,
  not_tar: 400,
  corrupt_tar: 400,
  ambiguous_tar: 400,
  unsupported_tar_entry: 400,
  link_not_allowed: 400,
  special_file_not_allowed: 400,
  unsafe_path: 400,
  duplicate_path: 400,
  too_many_entries: 400,
  file_too_large: 413,
  path_not_representable: 400,
  // CHECKSUM
  checksum_malformed: 400,
  checksum_unsorted: 400,
  checksum_missing_entry: 400,
  checksum_extra_entry: 400,
  checksum_mismatch: 400,
  // archive layout
  archive_too_large: 413,
  missing_manifest: 400,
  missing_lockfile: 400,
  missing_checksum: 400,
  missing_src: 400,
  unexpected_file: 400,
  name_mismatch: 400,
  lockfile_mismatch: 400,
  // requests, auth, resources
  bad_request: 400,
  unsupported_media_type: 415,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  route_not_found: 404,
  package_not_found: 404,
  version_not_found: 404,
  version_exists: 409,
  version_gone: 410,
  dependency_not_found: 400,
  conflict: 409,
  rate_limited: 429,
  account_rate_limited: 429,
  token_limit_reached: 409,
  malformed_proof: 400,
  log_not_configured: 503,
  internal_error: 500,
};

export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}

export function errorTable(): [ErrorCode, number][] {
  return Object.entries(STATUS) as [ErrorCode, number][];
}
