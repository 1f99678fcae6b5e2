// Gathers the facts a permission decision needs — the package's owners and pending transfer
// (PackageWriter), the caller's role in the scope (ScopeOwnership) — and asks the pure rules in
// domain/permissions whether the caller may act. A package's or scope's own Durable Object is
// asked only once the log knows the name: asking creates its storage, and anyone may name
// anything (a miss must cost no storage).
import type { Env } from "../env";
import type { Principal } from "../domain/principal";
import { assertMay, assertMayPublishInScope, type PackageAction, type PackageRelation } from "../domain/permissions";
import { RegistryError } from "../domain/errors";
import { Packages } from "./packages";
import { Scopes } from "./scopes";
import { TransparencyLog } from "./transparency-log";

export function scopeOf(pkg: string): string {
  return pkg.slice(0, pkg.indexOf("/"));
}

/**
 * Whether a package (`@acme/http`) or scope (`@acme`) may exist: only once the log has an entry
 * for it, since every version is logged before it is committed. False means it does not exist,
 * and its Durable Object need not (must not) be touched.
 */
export function isLogged(env: Env, name: string): Promise<boolean> {
  return new TransparencyLog(env).knows(name);
}

/**
 * The authoritative record of a version, asking its package's writer only once the log knows the
 * package (its writer exists then, and a miss there stores nothing). DECISION (issue 17): not the
 * sequencer's entry lookup, which every publish, every dependency check and every metadata miss
 * used to queue on in front of the log's appends.
 */
export async function findLoggedVersion(env: Env, pkg: string, version: string) {
  return (await isLogged(env, pkg)) ? new Packages(env).findVersion(pkg, version) : null;
}

/** Throws package_not_found for a package the log has never heard of. */
export async function requireLoggedPackage(env: Env, pkg: string): Promise<void> {
  if (!(await isLogged(env, pkg))) throw new RegistryError("package_not_found", `package ${pkg} does not exist`);
}

/** Throws not_found for a scope the log has never heard of (nobody published under it). */
export async function requireLoggedScope(env: Env, scope: string): Promise<void> {
  if (!(await isLogged(env, scope)))
    throw new RegistryError("not_found", `scope ${scope} does not exist (nobody has published under it)`);
}

export async function relationOf(
  env: Env,
  principal: Principal,
  pkg: string,
): Promise<PackageRelation & { scopeLogged: boolean }> {
  const packages = new Packages(env);
  const [pkgLogged, scopeLogged] = await Promise.all([isLogged(env, pkg), isLogged(env, scopeOf(pkg))]);
  const [owners, transfer, scopeRole] = await Promise.all([
    pkgLogged ? packages.owners(pkg) : ([] as string[]),
    pkgLogged ? packages.pendingTransfer(pkg) : null,
    scopeLogged ? new Scopes(env).findRole(scopeOf(pkg), principal.username) : null,
  ]);
  return {
    isPackageOwner: owners.includes(principal.username),
    scopeRole,
    transferTo: transfer?.to ?? null,
    scopeLogged,
  };
}

/** Throws unless the caller may perform `action` on `pkg`. */
export async function authorize(env: Env, principal: Principal, action: PackageAction, pkg: string): Promise<void> {
  assertMay(principal, action, pkg, await relationOf(env, principal, pkg));
}

/**
 * Publishing: the caller must own the package or belong to its scope. A scope nobody owns yet
 * is claimed by the caller's first publish (first come, first served) — call `claim: true`
 * only once the archive has been validated, so a bad upload claims nothing.
 */
export async function authorizePublish(
  env: Env,
  principal: Principal,
  pkg: string,
  opts: { claim: boolean },
): Promise<void> {
  assertMayPublishInScope(principal.username, scopeOf(pkg));
  const rel = await relationOf(env, principal, pkg);
  if (rel.isPackageOwner || rel.scopeRole !== null) return assertMay(principal, "publish", pkg, rel);
  const scopes = new Scopes(env);
  if (!opts.claim) {
    // Fail early if someone else already owns the scope; an unowned scope is claimed later.
    // (A scope the log does not know is asked only at the claim, after the archive passed.)
    if (rel.scopeLogged && (await scopes.listMembers(scopeOf(pkg))).length > 0)
      assertMay(principal, "publish", pkg, rel);
    assertMay(principal, "publish", pkg, { ...rel, scopeRole: "owner" }); // scope and token checks
    return;
  }
  const claimed = await scopes.claim(scopeOf(pkg), principal.username);
  if (!claimed.role) {
    throw new RegistryError(
      "forbidden",
      `${principal.username} may not publish ${pkg}: the scope ${scopeOf(pkg)} belongs to another account`,
    );
  }
  assertMay(principal, "publish", pkg, { ...rel, scopeRole: claimed.role });
}
