// Response shapes of the v1 API as the client sees them. Where the server has a type, it is
// reused (so a server change breaks the client at compile time); the rest follow issue 3's text
// and stay lenient about extra fields.
import type { ScopeMember, TokenInfo, UserInfo } from "../domain/accounts";
export type { ScopeMember, TokenInfo, UserInfo } from "../domain/accounts";
import type { InclusionReceipt } from "../log/receipt";

export type { VersionList, VersionSummary, VersionMetadata } from "../api/shapes";
export type { PublishResult as PublishResponse } from "../api/packages";
export type { Health } from "../api/health";

/** A log entry with its inclusion proof against a signed checkpoint (lookup and publish). */
export interface LogReceipt extends InclusionReceipt {
  /** The same proof in the C2SP tlog-proof text format. */
  tlogProof: string;
}

export interface ConsistencyResponse {
  from: number;
  to: number;
  /** Consistency proof hashes, base64. */
  proof: string[];
}

export interface DownloadResult {
  bytes: Uint8Array;
  /** The `ETag` header without quotes (the archive's sha256 hex), or null if absent. */
  etag: string | null;
  /** The `Repr-Digest` header as served, or null if absent. */
  reprDigest: string | null;
}

// Accounts, tokens and ownership. These mirror src/objects/account-directory.ts and
// scope-ownership.ts field for field; those modules need the Workers runtime, so the client
// (which must also compile for Node) cannot import them.

export type TokenScope = "read" | "publish" | "admin";

/** GET /v1/me. */
export interface WhoAmI {
  username: string;
  isAdmin: boolean;
  scopes: TokenScope[];
  /** Package patterns the token is limited to, or null for all. */
  packages: string[] | null;
  expiresAt: string | null;
  /** Null for the operator token. */
  tokenId: string | null;
}

export interface CreateTokenRequest {
  name: string;
  scopes: TokenScope[];
  packages?: string[];
  expires_in_days?: number;
}

/** POST /v1/tokens: the token's record and its secret, shown once. */
export interface CreatedToken extends TokenInfo {
  token: string;
}

/** POST /v1/admin/users: the account and its first token. */
export interface CreatedUser {
  user: UserInfo;
  token: CreatedToken;
}

export interface ScopeMembers {
  scope: string;
  members: ScopeMember[];
}

export interface PackageOwners {
  name: string;
  owners: string[];
}

export interface TransferState extends PackageOwners {
  /** The pending offer, or null once accepted or cancelled. */
  transfer: { from?: string; to: string; [extra: string]: unknown } | null;
}

/** Yank, unyank, deprecate, remove and delete answer with the version's flags. */
export interface VersionFlags {
  name: string;
  version: string;
  yanked: boolean;
  deprecated: string | null;
  removed: unknown;
  deleted: unknown;
}

/** GET /v1/search. */
export type { SearchHit, SearchResponse } from "../domain/search";
