// Who owns what: scope members, package owners, and package transfers (offer → accept).
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env";
import { RegistryError } from "../../domain/errors";
import { parseScope } from "../../domain/names";
import { ACCOUNTS_NAME } from "../../storage/keys";
import { authorize, packageWriter, scopeOwnership } from "../../services/package-access";
import { requirePrincipal, requireScope, type Principal } from "../middleware/auth";
import { grantCoversScope } from "../../domain/access";
import { packageParam } from "../params";
import { parseJson } from "../json-body";
import { throwWriterError } from "../writer-errors";

export const ownershipRoutes = new Hono<AppEnv>();

const Member = z.object({ username: z.string().min(1).max(39), role: z.enum(["owner", "member"]).optional() });
const Owner = z.object({ username: z.string().min(1).max(39) });
const Transfer = z.union([
  z.object({ to: z.string().min(1).max(39) }).strict(),
  z.object({ accept: z.literal(true) }).strict(),
  z.object({ cancel: z.literal(true) }).strict(),
]);

/** Scope administration needs a scope owner's token that is not limited to some packages. */
async function requireScopeOwner(env: AppEnv["Bindings"], principal: Principal, scope: string) {
  if (!grantCoversScope(principal, scope)) throw new RegistryError("forbidden", `this token is not valid for the whole scope ${scope}`);
  const owner = scopeOwnership(env, scope);
  if ((await owner.roleOf(principal.username)) !== "owner") throw new RegistryError("forbidden", `only owners of ${scope} may manage its members`);
  return owner;
}

async function requireAccount(env: AppEnv["Bindings"], username: string): Promise<void> {
  if (!(await env.ACCOUNTS.getByName(ACCOUNTS_NAME).getUser(username))) throw new RegistryError("not_found", `no account ${username}`);
}

// ---- scope members ----

ownershipRoutes.get("/scopes/:scope/members", async (c) => {
  const scope = parseScope(c.req.param("scope")).full;
  return c.json({ scope, members: await scopeOwnership(c.env, scope).members() });
});

ownershipRoutes.post("/scopes/:scope/members", async (c) => {
  const principal = requireScope(c, "admin");
  const scope = parseScope(c.req.param("scope")).full;
  const body = await parseJson(c, Member);
  const owner = await requireScopeOwner(c.env, principal, scope);
  await requireAccount(c.env, body.username);
  const result = await owner.upsert(body.username, body.role ?? "member");
  if (!result.ok) throw new RegistryError(result.code, result.message);
  return c.json({ scope, members: await owner.members() });
});

ownershipRoutes.delete("/scopes/:scope/members/:username", async (c) => {
  const principal = requireScope(c, "admin");
  const scope = parseScope(c.req.param("scope")).full;
  const owner = await requireScopeOwner(c.env, principal, scope);
  const result = await owner.remove(c.req.param("username"));
  if (!result.ok) throw new RegistryError(result.code, result.message);
  return c.json({ scope, members: await owner.members() });
});

// ---- package owners ----

ownershipRoutes.get("/packages/:scope/:name/owners", async (c) => {
  const pkg = packageParam(c);
  const owners = await packageWriter(c.env, pkg).owners();
  if (owners.length === 0) throw new RegistryError("package_not_found", `package ${pkg} does not exist`);
  return c.json({ name: pkg, owners });
});

ownershipRoutes.post("/packages/:scope/:name/owners", async (c) => {
  const principal = requirePrincipal(c);
  const pkg = packageParam(c);
  await authorize(c.env, principal, "manage-owners", pkg);
  const body = await parseJson(c, Owner);
  await requireAccount(c.env, body.username);
  const result = await packageWriter(c.env, pkg).addOwner(principal.username, body.username);
  if (!result.ok) throwWriterError(result);
  return c.json({ name: pkg, owners: result.value });
});

ownershipRoutes.delete("/packages/:scope/:name/owners/:username", async (c) => {
  const principal = requirePrincipal(c);
  const pkg = packageParam(c);
  await authorize(c.env, principal, "manage-owners", pkg);
  const result = await packageWriter(c.env, pkg).removeOwner(principal.username, c.req.param("username"));
  if (!result.ok) throwWriterError(result);
  return c.json({ name: pkg, owners: result.value });
});

// ---- transfer: the owner offers, the recipient accepts, either side cancels ----

ownershipRoutes.post("/packages/:scope/:name/transfer", async (c) => {
  const principal = requirePrincipal(c);
  const pkg = packageParam(c);
  const body = await parseJson(c, Transfer);
  const writer = packageWriter(c.env, pkg);
  if ("to" in body) {
    await authorize(c.env, principal, "transfer-offer", pkg);
    await requireAccount(c.env, body.to);
    const result = await writer.offerTransfer(principal.username, body.to);
    if (!result.ok) throwWriterError(result);
    return c.json({ name: pkg, transfer: result.value, owners: await writer.owners() });
  }
  if ("accept" in body) {
    await authorize(c.env, principal, "transfer-accept", pkg);
    const result = await writer.acceptTransfer(principal.username);
    if (!result.ok) throwWriterError(result);
    return c.json({ name: pkg, transfer: null, owners: result.value });
  }
  // Cancel: the offering owner (any owner) or the recipient.
  const pending = await writer.pendingTransfer();
  if (!pending) throw new RegistryError("not_found", `there is no pending transfer of ${pkg}`);
  if (pending.to === principal.username) requireScope(c, "admin");
  else await authorize(c.env, principal, "transfer-offer", pkg);
  const result = await writer.cancelTransfer(principal.username);
  if (!result.ok) throwWriterError(result);
  return c.json({ name: pkg, transfer: null, owners: await writer.owners() });
});
