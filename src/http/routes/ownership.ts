// Who owns what: scope members, package owners, and package transfers (offer → accept).
// Every decision goes through domain/permissions.ts (token scope, package limit, relation).
import type { Env } from "../../env";
import { api } from "../../api";
import { RegistryError } from "../../domain/errors";
import { grantCoversScope } from "../../domain/access";
import type { Principal } from "../../domain/principal";
import { authorize, requireLoggedPackage, requireLoggedScope } from "../../services/package-access";
import { Accounts } from "../../services/accounts";
import { Packages } from "../../services/packages";
import { Scopes } from "../../services/scopes";
import { requirePrincipal, requireScope } from "../middleware/auth";
import { implement } from "../implement";

/** Scope administration needs a scope owner's token that is not limited to some packages. */
async function requireScopeOwner(env: Env, principal: Principal, scope: string): Promise<Scopes> {
  if (!grantCoversScope(principal, scope))
    throw new RegistryError("forbidden", `this token is not valid for the whole scope ${scope}`);
  await requireLoggedScope(env, scope);
  const scopes = new Scopes(env);
  if ((await scopes.findRole(scope, principal.username)) !== "owner")
    throw new RegistryError("forbidden", `only owners of ${scope} may manage its members`);
  return scopes;
}

async function requireAccount(env: Env, username: string): Promise<void> {
  if (!(await new Accounts(env).findUser(username))) throw new RegistryError("not_found", `no account ${username}`);
}

export const ownershipRoutes = implement(api.ownership, {
  // ---- scope members ----

  members: async (c, { params: { scope } }) => {
    await requireLoggedScope(c.env, scope);
    const members = await new Scopes(c.env).listMembers(scope);
    if (members.length === 0)
      throw new RegistryError("not_found", `scope ${scope} does not exist (nobody has published under it)`);
    return { status: 200, body: { scope, members } };
  },

  addMember: async (c, { params: { scope }, body }) => {
    const principal = requireScope(c, "admin");
    const { username, role } = await body();
    const scopes = await requireScopeOwner(c.env, principal, scope);
    await requireAccount(c.env, username);
    await scopes.saveMember(scope, username, role ?? "member");
    return { status: 200, body: { scope, members: await scopes.listMembers(scope) } };
  },

  removeMember: async (c, { params: { scope, username } }) => {
    const principal = requireScope(c, "admin");
    const scopes = await requireScopeOwner(c.env, principal, scope);
    await scopes.removeMember(scope, username);
    return { status: 200, body: { scope, members: await scopes.listMembers(scope) } };
  },

  // ---- package owners ----

  owners: async (c, { params: { pkg } }) => {
    await requireLoggedPackage(c.env, pkg);
    const owners = await new Packages(c.env).owners(pkg);
    if (owners.length === 0) throw new RegistryError("package_not_found", `package ${pkg} does not exist`);
    return { status: 200, body: { name: pkg, owners } };
  },

  addOwner: async (c, { params: { pkg }, body }) => {
    const principal = requirePrincipal(c);
    await authorize(c.env, principal, "manage-owners", pkg);
    await requireLoggedPackage(c.env, pkg);
    const { username } = await body();
    await requireAccount(c.env, username);
    return {
      status: 200,
      body: { name: pkg, owners: await new Packages(c.env).addOwner(principal.username, pkg, username) },
    };
  },

  removeOwner: async (c, { params: { pkg, username } }) => {
    const principal = requirePrincipal(c);
    await authorize(c.env, principal, "manage-owners", pkg);
    await requireLoggedPackage(c.env, pkg);
    return {
      status: 200,
      body: { name: pkg, owners: await new Packages(c.env).removeOwner(principal.username, pkg, username) },
    };
  },

  // ---- transfer: the owner offers, the recipient accepts, either side cancels ----

  transfer: async (c, { params: { pkg }, body }) => {
    const principal = requirePrincipal(c);
    const request = await body();
    await requireLoggedPackage(c.env, pkg);
    const packages = new Packages(c.env);
    if ("to" in request) {
      await authorize(c.env, principal, "transfer-offer", pkg);
      await requireAccount(c.env, request.to);
      const transfer = await packages.offerTransfer(principal.username, pkg, request.to);
      return { status: 200, body: { name: pkg, transfer, owners: await packages.owners(pkg) } };
    }
    if ("accept" in request) {
      await authorize(c.env, principal, "transfer-accept", pkg);
      return {
        status: 200,
        body: { name: pkg, transfer: null, owners: await packages.acceptTransfer(principal.username, pkg) },
      };
    }
    // Cancel: an owner or the recipient, with a token valid for this package (permissions.ts).
    if (!(await packages.pendingTransfer(pkg)))
      throw new RegistryError("not_found", `there is no pending transfer of ${pkg}`);
    await authorize(c.env, principal, "transfer-cancel", pkg);
    await packages.cancelTransfer(principal.username, pkg);
    return { status: 200, body: { name: pkg, transfer: null, owners: await packages.owners(pkg) } };
  },
});
