// Gathers the facts a permission decision needs — the package's owners and pending transfer
// (PackageWriter), the caller's role in the scope (ScopeOwnership) — and asks the pure rules in
// domain/permissions whether the caller may act. A package's or scope's own Durable Object is
// asked only once the log knows the name: asking creates its storage, and anyone may name
// anything (a miss must cost no storage).
import type { Env } from "../env";
import type { Principal } from "../domain/principal";
import { assertMay, assertMayPublishInScope, type PackageAction, type PackageRelation } from "../domain/permissions";
import { RegistryError } from "../domain/errors";
import { LOG_SEQUENCER_NAME, packageWriterName, scopeOwnershipName } from "../storage/keys";

export function packageWriter(env: Env, pkg: string) {
  return env.PACKAGE_WRITER.getByName(packageWriterName(pkg));
}

export function scopeOwnership(env: Env, scope: string) {
  return env.SCOPES.getByName(scopeOwnershipName(scope));
}

export function scopeOf(pkg: string): string {
  return pkg.slice(0, pkg.indexOf("/"));
}

/**
 * Whether a package (`@acme/http`) or scope (`@acme`) may exist: only once the log has an entry
 * for it, since every version is logged before it is committed. False means it does not exist,
 * and its Durable Object need not (must not) be touched.
 */
export function isLogged(env: Env, name: string): Promise<boolean> {
  return Promise.resolve(env.LOG_SEQUENCER.getByName(LOG_SEQUENCER_NAME).knows(name));
}

/** Whether the log has this version's entry (else no writer has it committed). */
export async function isVersionLogged(env: Env, pkg: string, version: string): Promise<boolean> {
  return (await env.LOG_SEQUENCER.getByName(LOG_SEQUENCER_NAME).findEntry(`${pkg} ${version}`)) !== null;
}

/** Throws package_not_found for a package the log has never heard of. */
export async function requireLoggedPackage(env: Env, pkg: string): Promise<void> {
  if (!(await isLogged(env, pkg))) throw new RegistryError("package_not_found", `package ${pkg} does not exist`);
}

export async function relationOf(env: Env, principal: Principal, pkg: string): Promise<PackageRelation & { scopeLogged: boolean }> {
  const [pkgLogged, scopeLogged] = await Promise.all([isLogged(env, pkg), isLogged(env, scopeOf(pkg))]);
  const [owners, transfer, scopeRole] = await Promise.all([
    pkgLogged ? packageWriter(env, pkg).owners() : ([] as string[]),
    pkgLogged ? packageWriter(env, pkg).pendingTransfer() : null,
    scopeLogged ? scopeOwnership(env, scopeOf(pkg)).roleOf(principal.username) : null,
  ]);
  return { isPackageOwner: owners.includes(principal.username), scopeRole, transferTo: transfer?.to ?? null, scopeLogged };
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
  assertMayPublishInScope(principal.username, scopeOf(pkg));
  const rel = await relationOf(env, principal, pkg);
  if (rel.isPackageOwner || rel.scopeRole !== null) return assertMay(principal, "publish", pkg, rel);
  const scope = scopeOwnership(env, scopeOf(pkg));
  if (!opts.claim) {
    // Fail early if someone else already owns the scope; an unowned scope is claimed later.
    // (A scope the log does not know is asked only at the claim, after the archive passed.)
    if (rel.scopeLogged && (await scope.members()).length > 0) assertMay(principal, "publish", pkg, rel);
    assertMay(principal, "publish", pkg, { ...rel, scopeRole: "owner" }); // scope and token checks
    return;
  }
  const claimed = await scope.claim(principal.username);
  if (!claimed.role) {
    throw new RegistryError("forbidden", `${principal.username} may not publish ${pkg}: the scope ${scopeOf(pkg)} belongs to another account`);
  }
  assertMay(principal, "publish", pkg, { ...rel, scopeRole: claimed.role });
}
