// Who may do what to a package: the token's scope, its package limit, and the caller's
// relation to the package (package owner, scope owner or member, registry admin). Pure: the
// routes gather the facts and ask here; storage never checks permissions.
import type { Grant, TokenScope } from "./access";
import { grantCoversPackage, grantExcess } from "./access";
import { RegistryError } from "./errors";
import { OPERATOR } from "./principal";

export type PackageAction =
  | "publish"
  | "yank"
  | "deprecate"
  | "manage-owners"
  | "transfer-offer"
  | "transfer-accept"
  | "transfer-cancel"
  | "read-audit"
  | "admin-remove"
  | "admin-delete";

export interface Caller {
  username: string;
  scopes: TokenScope[];
  packages: string[] | null;
  isAdmin: boolean;
  expiresAt: string | null;
}

/**
 * Registry administration (accounts, emergency removal, anyone's tokens) reaches every
 * package: an admin account's token with the admin scope and no package limit, or the operator.
 */
export function isRegistryAdmin(caller: Caller): boolean {
  return caller.isAdmin && caller.scopes.includes("admin") && caller.packages === null;
}

/** A token as token management sees it: whose it is and what it may do. */
export interface ManagedToken extends Grant {
  username: string;
}

/**
 * May this caller see and revoke that token? A registry admin may revoke any token (a leaked
 * one, at once). Anyone else only a token of their own account that their own token could have
 * minted (as npm and crates.io decide): a read-only or package-limited token cannot list or
 * revoke the account's stronger tokens.
 */
export function mayManageToken(caller: Caller, target: ManagedToken): boolean {
  if (isRegistryAdmin(caller)) return true;
  return target.username === caller.username && grantExcess(caller, target) === null;
}

export interface PackageRelation {
  isPackageOwner: boolean;
  scopeRole: "owner" | "member" | null;
  /** The pending transfer's recipient, if any. */
  transferTo: string | null;
}

const SCOPE_FOR: Record<PackageAction, TokenScope> = {
  publish: "publish",
  yank: "publish",
  deprecate: "publish",
  "manage-owners": "admin",
  "transfer-offer": "admin",
  "transfer-accept": "admin",
  "transfer-cancel": "admin",
  "read-audit": "read",
  "admin-remove": "admin",
  "admin-delete": "admin",
};

/**
 * Scopes only the operator (ADMIN_TOKEN) may publish under: the registry's own canary, which
 * its scheduled probes read (docs/monitoring.md). Nobody else may claim them or publish there.
 */
export const OPERATOR_SCOPES: readonly string[] = ["@registry-probe"];

/** Throws `forbidden` if the scope is reserved to the operator and the caller is someone else. */
export function assertMayPublishInScope(username: string, scope: string): void {
  if (OPERATOR_SCOPES.includes(scope) && username !== OPERATOR) {
    throw new RegistryError(
      "forbidden",
      `the scope ${scope} is reserved to the registry's operator (its monitoring canary)`,
    );
  }
}

/** Throws `forbidden` unless the caller may perform the action on the package. */
export function assertMay(caller: Caller, action: PackageAction, pkg: string, rel: PackageRelation): void {
  const scope = SCOPE_FOR[action];
  if (!caller.scopes.includes(scope))
    throw new RegistryError("forbidden", `this token lacks the ${scope} scope needed to ${describe(action)}`);
  if (!grantCoversPackage(caller, pkg)) throw new RegistryError("forbidden", `this token is not valid for ${pkg}`);
  const owner = rel.isPackageOwner || rel.scopeRole === "owner";
  const allowed = ((): boolean => {
    switch (action) {
      case "publish":
        return rel.isPackageOwner || rel.scopeRole !== null;
      case "yank":
      case "deprecate":
      case "manage-owners":
      case "transfer-offer":
        return owner;
      case "transfer-accept":
        return rel.transferTo === caller.username;
      case "transfer-cancel":
        // Either side: an owner (who offered, or could have), or the recipient.
        return owner || (rel.transferTo !== null && rel.transferTo === caller.username);
      case "read-audit":
        return owner || caller.isAdmin;
      case "admin-remove":
      case "admin-delete":
        return caller.isAdmin;
    }
  })();
  if (!allowed) throw new RegistryError("forbidden", `${caller.username} may not ${describe(action)} ${pkg}`);
}

function describe(action: PackageAction): string {
  switch (action) {
    case "publish":
      return "publish";
    case "yank":
      return "yank or unyank versions of";
    case "deprecate":
      return "deprecate versions of";
    case "manage-owners":
      return "manage the owners of";
    case "transfer-offer":
      return "transfer";
    case "transfer-accept":
      return "accept the transfer of";
    case "transfer-cancel":
      return "cancel the transfer of";
    case "read-audit":
      return "read the audit trail of";
    case "admin-remove":
      return "remove versions of";
    case "admin-delete":
      return "delete versions of";
  }
}
