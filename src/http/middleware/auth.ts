// Bearer-token authentication. Resolves the caller to a Principal (or null for anonymous) and
// offers guards the routes use. Tokens are compared by their SHA-256 in constant time and are
// never logged.
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../../env";
import { RegistryError } from "../../domain/errors";
import { constantTimeEqual, sha256Bytes } from "../../util/bytes";

export type TokenScope = "read" | "publish" | "admin";

export interface Principal {
  /** Who acts: an account name, or "operator" for ADMIN_TOKEN. */
  username: string;
  scopes: TokenScope[];
  isAdmin: boolean;
  /** Package patterns the token is limited to, or null for all. */
  packages: string[] | null;
}

const BEARER = /^Bearer ([A-Za-z0-9_\-.~+/]+=*)$/;

export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header("authorization");
  if (!header) {
    c.set("principal", null);
    return next();
  }
  const match = BEARER.exec(header);
  if (!match) throw new RegistryError("unauthorized", "the Authorization header must be `Bearer <token>`");
  const principal = await resolveToken(c, match[1]!);
  if (!principal) throw new RegistryError("unauthorized", "the token is unknown, expired or revoked");
  c.set("principal", principal);
  return next();
};

async function resolveToken(c: Context<AppEnv>, token: string): Promise<Principal | null> {
  const admin = c.env.ADMIN_TOKEN;
  if (admin && constantTimeEqual(await sha256Bytes(token), await sha256Bytes(admin))) {
    return { username: "operator", scopes: ["read", "publish", "admin"], isAdmin: true, packages: null };
  }
  return null;
}

/** The caller must hold a token with this scope. */
export function requireScope(c: Context<AppEnv>, scope: TokenScope): Principal {
  const principal = c.get("principal");
  if (!principal) throw new RegistryError("unauthorized", `this action needs a token with the ${scope} scope`);
  if (!principal.scopes.includes(scope)) {
    throw new RegistryError("forbidden", `this token lacks the ${scope} scope`);
  }
  return principal;
}
