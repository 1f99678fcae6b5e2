// Who owns what: scope members, package owners, and package transfers (offer → accept).
// Every decision goes through domain/permissions.ts (token scope, package limit, relation).
import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env";
import { RegistryError } from "../../domain/errors";
import { parseScope } from "../../domain/names";
import { ACCOUNTS_NAME } from "../../storage/keys";
import { authorize, isLogged, packageWriter, requireLoggedPackage, scopeOwnership } from "../../services/package-access";
import { requirePrincipal, requireScope, type Principal } from "../middleware/auth";
import { access } from "../middleware/route-access";
import { grantCoversScope } from "../../domain/access";
import { isUsername } from "../../domain/names";
import { packageParam } from "../params";
import { parseJson } from "../json-body";
import { throwWriterError } from "../writer-errors";

export const ownershipRoutes = new Hono<AppEnv>();

const username = () => z.string().refine(isUsername, "not a username (1–39 lowercase letters, digits and single inner hyphens)");
const Member = z.object({ username: username(), role: z.enum(["owner", "member"]).optional() });
const Owner = z.object({ username: username() });
const Transfer = z.union([
  z.object({ to: username() }).strict(),
  z.object({ accept: z.literal(true) }).strict(),
  z.object({ cancel: z.literal(true) }).strict(),
]);

/** Scope administration needs a scope owner's token that is not limited to some packages. */
async function requireScopeOwner(env: AppEnv["Bindings"], principal: Principal, scope: string) {
  if (!grantCoversScope(principal, scope)) throw new RegistryError("forbidden", `this token is not valid for the whole scope ${scope}`);
  await requireLoggedScope(env, scope);
  const owner = scopeOwnership(env, scope);
  if ((await owner.roleOf(principal.username)) !== "owner") throw new RegistryError("forbidden", `only owners of ${scope} may manage its members`);
  return owner;
}

/** A scope exists once the log has a package of it; its object is asked only then. */
async function requireLoggedScope(env: AppEnv["Bindings"], scope: string): Promise<void> {
  if (!(await isLogged(env, scope))) throw new RegistryError("not_found", `scope ${scope} does not exist (nobody has published under it)`);
}

/** A username from the path: checked before it reaches storage or a message. */
function usernameParam(c: Context<AppEnv>): string {
  const name = c.req.param("username") ?? "";
  if (!isUsername(name)) throw new RegistryError("bad_request", "not a username (1–39 lowercase letters, digits and single inner hyphens)");
  return name;
}

async function requireAccount(env: AppEnv["Bindings"], username: string): Promise<void> {
  if (!(await env.ACCOUNTS.getByName(ACCOUNTS_NAME).getUser(username))) throw new RegistryError("not_found", `no account ${username}`);
}

// ---- scope members ----

ownershipRoutes.get("/scopes/:scope/members", access.read("scope"), async (c) => {
  const scope = parseScope(c.req.param("scope")).full;
  await requireLoggedScope(c.env, scope);
  const members = await scopeOwnership(c.env, scope).members();
  if (members.length === 0) throw new RegistryError("not_found", `scope ${scope} does not exist (nobody has published under it)`);
  return c.json({ scope, members });
});

ownershipRoutes.post("/scopes/:scope/members", access.token("admin", "scope"), async (c) => {
  const principal = requireScope(c, "admin");
  const scope = parseScope(c.req.param("scope")).full;
  const body = await parseJson(c, Member);
  const owner = await requireScopeOwner(c.env, principal, scope);
  await requireAccount(c.env, body.username);
  const result = await owner.upsert(body.username, body.role ?? "member");
  if (!result.ok) throw new RegistryError(result.code, result.message);
  return c.json({ scope, members: await owner.members() });
});

ownershipRoutes.delete("/scopes/:scope/members/:username", access.token("admin", "scope"), async (c) => {
  const principal = requireScope(c, "admin");
  const scope = parseScope(c.req.param("scope")).full;
  const username = usernameParam(c);
  const owner = await requireScopeOwner(c.env, principal, scope);
  const result = await owner.remove(username);
  if (!result.ok) throw new RegistryError(result.code, result.message);
  return c.json({ scope, members: await owner.members() });
});

// ---- package owners ----

ownershipRoutes.get("/packages/:scope/:name/owners", access.read("package"), async (c) => {
  const pkg = packageParam(c);
  await requireLoggedPackage(c.env, pkg);
  const owners = await packageWriter(c.env, pkg).owners();
  if (owners.length === 0) throw new RegistryError("package_not_found", `package ${pkg} does not exist`);
  return c.json({ name: pkg, owners });
});

ownershipRoutes.post("/packages/:scope/:name/owners", access.token("admin", "package"), async (c) => {
  const principal = requirePrincipal(c);
  const pkg = packageParam(c);
  await authorize(c.env, principal, "manage-owners", pkg);
  await requireLoggedPackage(c.env, pkg);
  const body = await parseJson(c, Owner);
  await requireAccount(c.env, body.username);
  const result = await packageWriter(c.env, pkg).addOwner(principal.username, body.username);
  if (!result.ok) throwWriterError(result);
  return c.json({ name: pkg, owners: result.value });
});

ownershipRoutes.delete("/packages/:scope/:name/owners/:username", access.token("admin", "package"), async (c) => {
  const principal = requirePrincipal(c);
  const pkg = packageParam(c);
  const username = usernameParam(c);
  await authorize(c.env, principal, "manage-owners", pkg);
  await requireLoggedPackage(c.env, pkg);
  const result = await packageWriter(c.env, pkg).removeOwner(principal.username, username);
  if (!result.ok) throwWriterError(result);
  return c.json({ name: pkg, owners: result.value });
});

// ---- transfer: the owner offers, the recipient accepts, either side cancels ----

ownershipRoutes.post("/packages/:scope/:name/transfer", access.token("admin", "package"), async (c) => {
  const principal = requirePrincipal(c);
  const pkg = packageParam(c);
  const body = await parseJson(c, Transfer);
  await requireLoggedPackage(c.env, pkg);
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
  // Cancel: an owner or the recipient, with a token valid for this package (permissions.ts).
  if (!(await writer.pendingTransfer())) throw new RegistryError("not_found", `there is no pending transfer of ${pkg}`);
  await authorize(c.env, principal, "transfer-cancel", pkg);
  const result = await writer.cancelTransfer(principal.username);
  if (!result.ok) throwWriterError(result);
  return c.json({ name: pkg, transfer: null, owners: await writer.owners() });
});
