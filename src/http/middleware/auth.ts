// Bearer-token authentication. Resolves the caller to a Principal (or null for anonymous).
// The operator's ADMIN_TOKEN is compared by SHA-256 in constant time; account tokens are looked
// up by their SHA-256 in KV (cached up to 60 s per location), falling back to the
// AccountDirectory on a miss. Tokens are never logged.
import type { Context } from "hono";
import type { Layer } from "../in-order";
import type { AppEnv, Env } from "../../env";
import type { TokenScope } from "../../domain/access";
import { OPERATOR, type Principal } from "../../domain/principal";
import { isExpired } from "../../domain/access";
import { RegistryError } from "../../domain/errors";
import { isRegistryAdmin } from "../../domain/permissions";
import { Accounts } from "../../services/accounts";
import { bytesEqual, sha256Bytes, toHex } from "../../util/bytes";
import { guardAuthFailures, recordAuthFailure } from "./rate-limit";

const BEARER = /^Bearer (ori_[A-Za-z0-9_-]{16,128})$/;
/** A registry token's form (`ori_…`, as in BEARER); the web sign-in takes the same. */
export const TOKEN_FORM = /^ori_[A-Za-z0-9_-]{16,128}$/;
/** How often (per isolate) a token's last-used time is written back. */
const TOUCH_INTERVAL_MS = 60_000;
const lastTouched = new Map<string, number>();

export const authenticate: Layer<AppEnv> = async (c, next) => {
  const header = c.req.header("authorization");
  if (!header) {
    c.set("principal", null);
    return next();
  }
  const match = BEARER.exec(header);
  const principal = match ? await resolveToken(c, match[1]!) : null;
  if (!principal) {
    await recordAuthFailure(c);
    throw new RegistryError(
      "unauthorized",
      match
        ? "the token is unknown, expired or revoked"
        : "the Authorization header must be `Bearer ori_…` with a registry token",
    );
  }
  c.set("principal", principal);
  return next();
};

async function resolveToken(c: Context<AppEnv>, token: string): Promise<Principal | null> {
  return principalOfTokenHash(c, await sha256Bytes(token));
}

/**
 * The principal behind a token's SHA-256 (the operator's, or an account's live token), or null.
 * The web UI's sign-in keeps only this hash, and finds its principal again through here.
 */
export async function principalOfTokenHash(c: Context<AppEnv>, hash: Uint8Array): Promise<Principal | null> {
  const admin = c.env.ADMIN_TOKEN;
  if (admin && bytesEqual(hash, await sha256Bytes(admin))) {
    return {
      username: OPERATOR,
      scopes: ["read", "publish", "admin"],
      isAdmin: true,
      packages: null,
      tokenId: null,
      expiresAt: null,
    };
  }
  const hex = toHex(hash);
  const accounts = new Accounts(c.env);
  let found = await accounts.findCachedPrincipal(hex);
  if (!found) {
    await guardAuthFailures(c);
    found = await accounts.resolvePrincipal(hex);
  }
  if (!found || isExpired(found)) return null;
  touch(c.env, found.tokenId, c.executionCtx);
  return { ...found };
}

/** Records the token's last use at most once a minute per isolate, off the request's path. */
function touch(env: Env, tokenId: string, ctx: { waitUntil(p: Promise<unknown>): void }): void {
  const now = Date.now();
  if ((lastTouched.get(tokenId) ?? 0) > now - TOUCH_INTERVAL_MS) return;
  lastTouched.set(tokenId, now);
  ctx.waitUntil(new Accounts(env).touch(tokenId).catch(() => undefined));
}

/** The caller must hold a token with this scope. */
export function requireScope(c: Context<AppEnv>, scope: TokenScope): Principal {
  const principal = requirePrincipal(c, `this action needs a token with the ${scope} scope`);
  if (!principal.scopes.includes(scope)) throw new RegistryError("forbidden", `this token lacks the ${scope} scope`);
  return principal;
}

export function requirePrincipal(c: Context<AppEnv>, why = "this action needs a token"): Principal {
  const principal = c.get("principal");
  if (!principal) throw new RegistryError("unauthorized", why);
  return principal;
}

/**
 * The caller must be a registry administrator using a token with the admin scope and no
 * package limit: registry administration reaches every package, so a token limited to some
 * packages must not be able to do it (nor mint an unlimited account to do it for it).
 */
export function requireAdmin(c: Context<AppEnv>): Principal {
  const principal = requireScope(c, "admin");
  if (!isRegistryAdmin(principal)) {
    throw new RegistryError(
      "forbidden",
      principal.isAdmin
        ? "registry administration needs a token that is not limited to some packages"
        : "only registry administrators may do this",
    );
  }
  return principal;
}
