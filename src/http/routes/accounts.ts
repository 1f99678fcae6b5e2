// Accounts and tokens: who am I, admin account creation, minting, listing and revoking tokens.
// One rule for every token a request brings into being or manages: the caller's own token must
// be able to mint it (domain/access.ts grantExcess; registry admins may revoke any token).
import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv, Env } from "../../env";
import { RegistryError } from "../../domain/errors";
import { TOKEN_SCOPES, assertGrantWithin, parsePackagePattern, type Grant } from "../../domain/access";
import { isUsername } from "../../domain/names";
import { mayManageToken } from "../../domain/permissions";
import { ACCOUNTS_NAME, tokenKey } from "../../storage/keys";
import { sha256Hex } from "../../util/bytes";
import { OPERATOR, requireAdmin, requirePrincipal } from "../middleware/auth";
import { access } from "../middleware/route-access";
import { parseJson } from "../json-body";
import { text } from "../../api/text";

export const accountRoutes = new Hono<AppEnv>();

const CreateUser = z.object({ username: z.string().max(39), admin: z.boolean().optional() });
const CreateToken = z.object({
  name: text("line", { min: 1, max: 100 }),
  scopes: z.array(z.enum(TOKEN_SCOPES)).min(1),
  packages: z.array(z.string().max(100)).min(1).max(50).optional(),
  expires_in_days: z.number().int().min(1).max(3650).optional(),
});
/** Token ids are UUIDs; anything else names no token (and is never echoed back). */
const TOKEN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

accountRoutes.get("/me", access.token(null), (c) => {
  const p = requirePrincipal(c);
  return c.json({ username: p.username, isAdmin: p.isAdmin, scopes: p.scopes, packages: p.packages, expiresAt: p.expiresAt, tokenId: p.tokenId });
});

accountRoutes.post("/admin/users", access.registryAdmin(), async (c) => {
  const admin = requireAdmin(c);
  const body = await parseJson(c, CreateUser);
  if (!isUsername(body.username) || body.username === OPERATOR) {
    throw new RegistryError("bad_request", "a username is 1–39 lowercase letters, digits and single inner hyphens (and not `operator`)");
  }
  // The account's first token has every scope and never outlives the creator's token: only a
  // token that could mint it may create the account (an admin-only token cannot hand out
  // publish rights it lacks).
  const first: Grant = { scopes: ["read", "publish", "admin"], packages: null, expiresAt: admin.expiresAt };
  assertGrantWithin(admin, first);
  const created = await accounts(c.env).createUser(body.username, body.admin ?? false);
  if (!created.ok) throw new RegistryError("conflict", created.message);
  const token = await mintToken(c, body.username, "first token", first);
  return c.json({ user: created.value, token }, 201);
});

accountRoutes.post("/tokens", access.token(null), async (c) => {
  const principal = requirePrincipal(c);
  if (principal.username === OPERATOR) throw new RegistryError("forbidden", "the operator token has no account: create an account with POST /v1/admin/users");
  const body = await parseJson(c, CreateToken);
  const requested: Grant = {
    scopes: [...new Set(body.scopes)],
    packages: body.packages ? body.packages.map(parsePackagePattern) : null,
    expiresAt: body.expires_in_days ? new Date(Date.now() + body.expires_in_days * 86_400_000).toISOString() : null,
  };
  assertGrantWithin(principal, requested);
  const token = await mintToken(c, principal.username, body.name, requested);
  return c.json(token, 201);
});

/** The caller's account's tokens that the caller's token could have minted. */
accountRoutes.get("/tokens", access.token(null), async (c) => {
  const principal = requirePrincipal(c);
  const tokens = await accounts(c.env).listTokens(principal.username);
  return c.json({ tokens: tokens.filter((t) => mayManageToken(principal, { ...t, username: principal.username })) });
});

accountRoutes.delete("/tokens/:id", access.token(null), async (c) => {
  const principal = requirePrincipal(c);
  const id = c.req.param("id");
  const directory = accounts(c.env);
  // A token the caller may not manage is as invisible here as in the list.
  const target = TOKEN_ID.test(id) ? await directory.findToken(id) : null;
  if (!target || !mayManageToken(principal, target)) throw new RegistryError("not_found", "no active token with this id that this token may revoke");
  const revoked = await directory.revokeToken(id);
  if (!revoked.ok) throw new RegistryError("not_found", revoked.message);
  // Forget it here too: the directory's delete may have happened in another location.
  await c.env.METADATA.delete(tokenKey(revoked.value.hash));
  return c.json({ revoked: revoked.value.token });
});

function accounts(env: Env) {
  return env.ACCOUNTS.getByName(ACCOUNTS_NAME);
}

/** A new secret (`ori_` + 32 random bytes); only its SHA-256 is stored. Shown once. */
async function mintToken(c: Context<AppEnv>, username: string, name: string, grant: Grant) {
  const random = crypto.getRandomValues(new Uint8Array(32));
  const secret = `ori_${btoa(String.fromCharCode(...random)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}`;
  const stored = await accounts(c.env).createToken(username, await sha256Hex(secret), name, grant);
  if (!stored.ok) {
    if (stored.code === "account_rate_limited") c.header("Retry-After", String(Math.max(1, Math.ceil((stored.retryAt - Date.now()) / 1000))));
    throw new RegistryError(stored.code, stored.message);
  }
  return { ...stored.value, token: secret };
}
