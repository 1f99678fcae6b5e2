// Accounts and tokens: who am I, admin account creation, minting, listing and revoking tokens.
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, Env } from "../../env";
import { RegistryError } from "../../domain/errors";
import { TOKEN_SCOPES, assertGrantWithin, parsePackagePattern, type Grant } from "../../domain/access";
import { ACCOUNTS_NAME, tokenKey } from "../../storage/keys";
import { sha256Hex } from "../../util/bytes";
import { OPERATOR, isRegistryAdmin, requireAdmin, requirePrincipal } from "../middleware/auth";
import { parseJson } from "../json-body";

export const accountRoutes = new Hono<AppEnv>();

const USERNAME = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,38}$/;

const CreateUser = z.object({ username: z.string(), admin: z.boolean().optional() });
const CreateToken = z.object({
  name: z.string().min(1).max(100),
  scopes: z.array(z.enum(TOKEN_SCOPES)).min(1),
  packages: z.array(z.string()).min(1).max(50).optional(),
  expires_in_days: z.number().int().min(1).max(3650).optional(),
});

accountRoutes.get("/me", (c) => {
  const p = requirePrincipal(c);
  return c.json({ username: p.username, isAdmin: p.isAdmin, scopes: p.scopes, packages: p.packages, expiresAt: p.expiresAt, tokenId: p.tokenId });
});

accountRoutes.post("/admin/users", async (c) => {
  const admin = requireAdmin(c);
  const body = await parseJson(c, CreateUser);
  if (!USERNAME.test(body.username) || body.username === OPERATOR) {
    throw new RegistryError("bad_request", "a username is 1–39 lowercase letters, digits and single inner hyphens (and not `operator`)");
  }
  const created = await accounts(c.env).createUser(body.username, body.admin ?? false);
  if (!created.ok) throw new RegistryError("conflict", created.message);
  // The first token never outlives the token that created the account.
  const token = await mintToken(c.env, body.username, "first token", { scopes: ["read", "publish", "admin"], packages: null, expiresAt: admin.expiresAt });
  return c.json({ user: created.value, token }, 201);
});

accountRoutes.post("/tokens", async (c) => {
  const principal = requirePrincipal(c);
  if (principal.username === OPERATOR) throw new RegistryError("forbidden", "the operator token has no account: create an account with POST /v1/admin/users");
  const body = await parseJson(c, CreateToken);
  const requested: Grant = {
    scopes: [...new Set(body.scopes)],
    packages: body.packages ? body.packages.map(parsePackagePattern) : null,
    expiresAt: body.expires_in_days ? new Date(Date.now() + body.expires_in_days * 86_400_000).toISOString() : null,
  };
  assertGrantWithin(principal, requested);
  const token = await mintToken(c.env, principal.username, body.name, requested);
  return c.json(token, 201);
});

accountRoutes.get("/tokens", async (c) => {
  const principal = requirePrincipal(c);
  return c.json({ tokens: await accounts(c.env).listTokens(principal.username) });
});

accountRoutes.delete("/tokens/:id", async (c) => {
  const principal = requirePrincipal(c);
  const revoked = await accounts(c.env).revokeToken(principal.username, c.req.param("id"), isRegistryAdmin(principal));
  if (!revoked.ok) throw new RegistryError("not_found", revoked.message);
  // Forget it here too: the directory's delete may have happened in another location.
  await c.env.METADATA.delete(tokenKey(revoked.value.hash));
  return c.json({ revoked: revoked.value.token });
});

function accounts(env: Env) {
  return env.ACCOUNTS.getByName(ACCOUNTS_NAME);
}

/** A new secret (`ori_` + 32 random bytes); only its SHA-256 is stored. Shown once. */
async function mintToken(env: Env, username: string, name: string, grant: Grant) {
  const random = crypto.getRandomValues(new Uint8Array(32));
  const secret = `ori_${btoa(String.fromCharCode(...random)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}`;
  const stored = await accounts(env).createToken(username, await sha256Hex(secret), name, grant);
  if (!stored.ok) throw new RegistryError("not_found", stored.message);
  return { ...stored.value, token: secret };
}
