// Accounts and tokens: who am I, admin account creation, minting, listing and revoking tokens.
// One rule for every token a request brings into being or manages: the caller's own token must
// be able to mint it (domain/access.ts grantExcess; registry admins may revoke any token).
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { api } from "../../api";
import { RegistryError } from "../../domain/errors";
import { assertGrantWithin, parsePackagePattern, type Grant } from "../../domain/access";
import { isUsername, USERNAME_RULE } from "../../domain/names";
import { mayManageToken } from "../../domain/permissions";
import { OPERATOR } from "../../domain/principal";
import { sha256Hex } from "../../util/bytes";
import { requireAdmin, requirePrincipal } from "../middleware/auth";
import { implement } from "../implement";
import { Accounts } from "../../services/accounts";

/** Token ids are UUIDs; anything else names no token (and is never echoed back). */
const TOKEN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const accountRoutes = implement(api.accounts, {
  me: (c) => {
    const p = requirePrincipal(c);
    return {
      status: 200,
      body: {
        username: p.username,
        isAdmin: p.isAdmin,
        scopes: p.scopes,
        packages: p.packages,
        expiresAt: p.expiresAt,
        tokenId: p.tokenId,
      },
    };
  },

  createUser: async (c, { body }) => {
    const admin = requireAdmin(c);
    const request = await body();
    if (!isUsername(request.username) || request.username === OPERATOR) {
      throw new RegistryError("bad_request", `a username is ${USERNAME_RULE} (and not \`${OPERATOR}\`)`);
    }
    // The account's first token has every scope and never outlives the creator's token: only a
    // token that could mint it may create the account (an admin-only token cannot hand out
    // publish rights it lacks).
    const first: Grant = { scopes: ["read", "publish", "admin"], packages: null, expiresAt: admin.expiresAt };
    assertGrantWithin(admin, first);
    const user = await new Accounts(c.env).createUser(request.username, request.admin ?? false);
    const token = await mintToken(c, request.username, "first token", first);
    return { status: 201, body: { user, token } };
  },

  createToken: async (c, { body }) => {
    const principal = requirePrincipal(c);
    if (principal.username === OPERATOR)
      throw new RegistryError(
        "forbidden",
        "the operator token has no account: create an account with POST /v1/admin/users",
      );
    const request = await body();
    const requested: Grant = {
      scopes: [...new Set(request.scopes)],
      packages: request.packages ? request.packages.map(parsePackagePattern) : null,
      expiresAt: request.expires_in_days
        ? new Date(Date.now() + request.expires_in_days * 86_400_000).toISOString()
        : null,
    };
    assertGrantWithin(principal, requested);
    return { status: 201, body: await mintToken(c, principal.username, request.name, requested) };
  },

  /** The caller's account's tokens that the caller's token could have minted. */
  listTokens: async (c) => {
    const principal = requirePrincipal(c);
    const tokens = await new Accounts(c.env).listTokens(principal.username);
    return {
      status: 200,
      body: { tokens: tokens.filter((t) => mayManageToken(principal, { ...t, username: principal.username })) },
    };
  },

  revokeToken: async (c, { params: { id } }) => {
    const principal = requirePrincipal(c);
    const directory = new Accounts(c.env);
    // A token the caller may not manage is as invisible here as in the list.
    const target = TOKEN_ID.test(id) ? await directory.findToken(id) : null;
    if (!target || !mayManageToken(principal, target))
      throw new RegistryError("not_found", "no active token with this id that this token may revoke");
    return { status: 200, body: { revoked: await directory.revokeToken(id) } };
  },
});

/** A new secret (`ori_` + 32 random bytes); only its SHA-256 is stored. Shown once. */
async function mintToken(c: Context<AppEnv>, username: string, name: string, grant: Grant) {
  const random = crypto.getRandomValues(new Uint8Array(32));
  const secret = `ori_${btoa(String.fromCharCode(...random))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "")}`;
  const stored = await new Accounts(c.env).createToken(username, await sha256Hex(secret), name, grant);
  return { ...stored, token: secret };
}
