// The one error type of the transparency-log module. Every failure — a proof that does not
// reach the signed root, a bad signature, a malformed note, tile or entry — carries a stable
// `code` that callers switch on (the HTTP layer maps codes to statuses; clients show them).

export type LogErrorCode =
  /** An inclusion proof does not recompute the signed root hash. */
  | "bad_proof"
  /** A signature by a known key does not verify. */
  | "bad_signature"
  /** A tile's hashes are not authenticated by the signed tree hash. */
  | "bad_tile"
  /** Two tree heads cannot be shown to be prefixes of one another (a fork or rollback). */
  | "inconsistent_tree"
  | "malformed_checkpoint"
  | "malformed_entry"
  | "malformed_key"
  | "malformed_note"
  | "malformed_proof"
  | "malformed_tile"
  | "malformed_tile_path"
  /** No signature in the note is by a key we were told to trust. */
  | "unknown_key"
  /** The checkpoint (or its key) names another log than the one expected. */
  | "origin_mismatch"
  /** A caller broke a precondition (an index outside the tree, a size beyond 2^52, ...). */
  | "invalid_argument"
  /** A HashReader broke its contract (wrong number or size of hashes). */
  | "reader_failure";

export class LogVerificationError extends Error {
  override readonly name = "LogVerificationError";
  constructor(
    readonly code: LogErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Throws a LogVerificationError; typed `never` so it can end an expression. */
export function fail(code: LogErrorCode, message: string): never {
  throw new LogVerificationError(code, message);
}

export function isLogError(e: unknown, code?: LogErrorCode): e is LogVerificationError {
  return e instanceof LogVerificationError && (code === undefined || e.code === code);
}
