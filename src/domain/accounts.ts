// The shapes of accounts, tokens and scope members as the API returns them. Shared by the
// Durable Objects that store them and the client that reads them, so a change breaks both.
import type { TokenScope } from "./access";

/** One token as GET /v1/tokens lists it (never the secret). */
export interface TokenInfo {
  id: string;
  name: string;
  scopes: TokenScope[];
  packages: string[] | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

export interface UserInfo {
  username: string;
  isAdmin: boolean;
  createdAt: string;
}

export type ScopeRole = "owner" | "member";

export interface ScopeMember {
  username: string;
  role: ScopeRole;
  addedAt: string;
}

/** What one account may hold and spend, whatever number of tokens it spreads the work over. */
export const ACCOUNT_LIMITS = {
  /** Tokens an account holds at once (neither revoked nor expired). */
  liveTokens: 50,
  /** Tokens an account creates per hour (revoked ones count: their rows are kept). */
  tokensPerHour: 100,
  /** Default requests per minute for all of an account's tokens together. */
  requestsPerMinute: 3000,
} as const;
