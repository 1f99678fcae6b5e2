// Who is calling: the account (or the operator) behind a request's token and what the token
// may do. Resolved by the authentication middleware; every permission rule reads it.
import type { TokenScope } from "./access";

export interface Principal {
  /** Who acts: an account name, or "operator" for ADMIN_TOKEN. */
  username: string;
  scopes: TokenScope[];
  isAdmin: boolean;
  /** Package patterns the token is limited to, or null for all. */
  packages: string[] | null;
  /** The token's id (null for the operator token), the key of its rate limit. */
  tokenId: string | null;
  expiresAt: string | null;
}

/** The operator's name: the ADMIN_TOKEN has no account, and no account may take this name. */
export const OPERATOR = "operator";
