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
