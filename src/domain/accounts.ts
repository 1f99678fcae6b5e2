// Accounts, tokens and scope members, and what one account may hold. Their shapes are the
// API's (src/api/shapes.ts, the one source): the Durable Objects that store them return exactly
// what the client reads, so a change breaks both.
import type { ScopeMember, Token, User } from "../api/shapes";

/** One token as GET /v1/tokens lists it (never the secret). */
export type TokenInfo = Token;
export type UserInfo = User;
export type { ScopeMember };
export type ScopeRole = ScopeMember["role"];

/** What one account may hold and spend, whatever number of tokens it spreads the work over. */
export const ACCOUNT_LIMITS = {
  /** Tokens an account holds at once (neither revoked nor expired). */
  liveTokens: 50,
  /** Tokens an account creates per hour (revoked ones count: their rows are kept). */
  tokensPerHour: 100,
  /** Default requests per minute for all of an account's tokens together. */
  requestsPerMinute: 3000,
} as const;
