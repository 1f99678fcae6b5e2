// Gathers the facts a permission decision needs — the package's owners and pending transfer
// (PackageWriter), the caller's role in the scope (ScopeOwnership) — and asks the pure rules in
// domain/permissions whether the caller may act.
import type { Env } from "../env";
import type { Principal } from "../http/middleware/auth";
import { assertMay, type PackageAction, type PackageRelation } from "../domain/permissions";
import { RegistryError } from "../domain/errors";
import { packageWriterName, scopeOwnershipName } from "../storage/keys";

export function packageWriter(env: Env, pkg: string) {
  return env.PACKAGE_WRITER.getByName(packageWriterName(pkg));
}

export function scopeOwnership(env: Env, scope: string) {
  return env.SCOPES.getByName(scopeOwnershipName(scope));
}

export function scopeOf(pkg: string): string {
  return pkg.slice(0, pkg.indexOf("/"));
}

export async function relationOf(env: Env, principal: Principal, pkg: string): Promise<PackageRelation> {
  const [owners, transfer, scopeRole] = await Promise.all([
    packageWriter(env, pkg).owners(),
    packageWriter(env, pkg).pendingTransfer(),
    scopeOwnership(env, scopeOf(pkg)).roleOf(principal.username),
  ]);
  return { isPackageOwner: owners.includes(principal.username), scopeRole, transferTo: transfer?.to ?? null };
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
export async function authorizePublish(env: Env, principal: Principal, pkg: string, opts: { claim: boolean }): Promise<void> {
  const rel = await relationOf(env, principal, pkg);
  if (rel.isPackageOwner || rel.scopeRole !== null) return assertMay(principal, "publish", pkg, rel);
  const scope = scopeOwnership(env, scopeOf(pkg));
  if (!opts.claim) {
    // Fail early if someone else already owns the scope; an unowned scope is claimed later.
    if ((await scope.members()).length > 0) assertMay(principal, "publish", pkg, rel);
    assertMay(principal, "publish", pkg, { ...rel, scopeRole: "owner" }); // scope and token checks
    return;
  }
  const claimed = await scope.claim(principal.username);
  if (!claimed.role) {
    throw new RegistryError("forbidden", `${principal.username} may not publish ${pkg}: the scope ${scopeOf(pkg)} belongs to another account`);
  }
  assertMay(principal, "publish", pkg, { ...rel, scopeRole: claimed.role });
}
