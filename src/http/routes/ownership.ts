// Who owns what: scope members, package owners, and package transfers (offer → accept).
// Every decision goes through domain/permissions.ts (token scope, package limit, relation).
import type { AppEnv } from "../../env";
import { api } from "../../api";
import { RegistryError } from "../../domain/errors";
import { grantCoversScope } from "../../domain/access";
import type { Principal } from "../../domain/principal";
import { ACCOUNTS_NAME } from "../../storage/keys";
import { authorize, isLogged, packageWriter, requireLoggedPackage, scopeOwnership } from "../../services/package-access";
import { requirePrincipal, requireScope } from "../middleware/auth";
import { implement } from "../implement";
import { unwrap } from "../../objects/rpc-result";

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

async function requireAccount(env: AppEnv["Bindings"], username: string): Promise<void> {
  if (!(await env.ACCOUNTS.getByName(ACCOUNTS_NAME).getUser(username))) throw new RegistryError("not_found", `no account ${username}`);
}

export const ownershipRoutes = implement(api.ownership, {
  // ---- scope members ----

  members: async (c, { params: { scope } }) => {
    await requireLoggedScope(c.env, scope);
    const members = await scopeOwnership(c.env, scope).members();
    if (members.length === 0) throw new RegistryError("not_found", `scope ${scope} does not exist (nobody has published under it)`);
    return { status: 200, body: { scope, members } };
  },

  addMember: async (c, { params: { scope }, body }) => {
    const principal = requireScope(c, "admin");
    const { username, role } = await body();
    const owner = await requireScopeOwner(c.env, principal, scope);
    await requireAccount(c.env, username);
    unwrap(await owner.upsert(username, role ?? "member"));
    return { status: 200, body: { scope, members: await owner.members() } };
  },

  removeMember: async (c, { params: { scope, username } }) => {
    const principal = requireScope(c, "admin");
    const owner = await requireScopeOwner(c.env, principal, scope);
    unwrap(await owner.remove(username));
    return { status: 200, body: { scope, members: await owner.members() } };
  },

  // ---- package owners ----

  owners: async (c, { params: { pkg } }) => {
    await requireLoggedPackage(c.env, pkg);
    const owners = await packageWriter(c.env, pkg).owners();
    if (owners.length === 0) throw new RegistryError("package_not_found", `package ${pkg} does not exist`);
    return { status: 200, body: { name: pkg, owners } };
  },

  addOwner: async (c, { params: { pkg }, body }) => {
    const principal = requirePrincipal(c);
    await authorize(c.env, principal, "manage-owners", pkg);
    await requireLoggedPackage(c.env, pkg);
    const { username } = await body();
    await requireAccount(c.env, username);
    const result = unwrap(await packageWriter(c.env, pkg).addOwner(principal.username, username));
    return { status: 200, body: { name: pkg, owners: result } };
  },

  removeOwner: async (c, { params: { pkg, username } }) => {
    const principal = requirePrincipal(c);
    await authorize(c.env, principal, "manage-owners", pkg);
    await requireLoggedPackage(c.env, pkg);
    const result = unwrap(await packageWriter(c.env, pkg).removeOwner(principal.username, username));
    return { status: 200, body: { name: pkg, owners: result } };
  },

  // ---- transfer: the owner offers, the recipient accepts, either side cancels ----

  transfer: async (c, { params: { pkg }, body }) => {
    const principal = requirePrincipal(c);
    const request = await body();
    await requireLoggedPackage(c.env, pkg);
    const writer = packageWriter(c.env, pkg);
    if ("to" in request) {
      await authorize(c.env, principal, "transfer-offer", pkg);
      await requireAccount(c.env, request.to);
      const result = unwrap(await writer.offerTransfer(principal.username, request.to));
      return { status: 200, body: { name: pkg, transfer: result, owners: await writer.owners() } };
    }
    if ("accept" in request) {
      await authorize(c.env, principal, "transfer-accept", pkg);
      const result = unwrap(await writer.acceptTransfer(principal.username));
      return { status: 200, body: { name: pkg, transfer: null, owners: result } };
    }
    // Cancel: an owner or the recipient, with a token valid for this package (permissions.ts).
    if (!(await writer.pendingTransfer())) throw new RegistryError("not_found", `there is no pending transfer of ${pkg}`);
    await authorize(c.env, principal, "transfer-cancel", pkg);
    unwrap(await writer.cancelTransfer(principal.username));
    return { status: 200, body: { name: pkg, transfer: null, owners: await writer.owners() } };
  },
});
