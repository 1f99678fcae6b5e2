// Pure rules of access: token scopes, package patterns (`@acme/*`, `@acme/http`), and the rule
// that a token can only bring into being (or manage) tokens with no more rights than itself.
import { RegistryError } from "./errors";
import { parsePackageName, parseScope } from "./names";

export const TOKEN_SCOPES = ["read", "publish", "admin"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** What a token may do; `packages: null` means every package. */
export interface Grant {
  scopes: TokenScope[];
  packages: string[] | null;
  /** ISO time after which the token is refused, or null for no expiry. */
  expiresAt: string | null;
}

/** Validates a package pattern: a full name `@acme/http` or a whole scope `@acme/*`. */
export function parsePackagePattern(pattern: string): string {
  if (pattern.endsWith("/*")) return `${parseScope(pattern.slice(0, -2)).full}/*`;
  return parsePackageName(pattern).full;
}

export function patternMatches(pattern: string, pkg: string): boolean {
  return pattern.endsWith("/*") ? pkg.startsWith(pattern.slice(0, -1)) : pattern === pkg;
}

/** True if the grant's package limit (if any) covers this package. */
export function grantCoversPackage(grant: Pick<Grant, "packages">, pkg: string): boolean {
  return grant.packages === null || grant.packages.some((p) => patternMatches(p, pkg));
}

/** True if the grant covers a whole scope (`@acme/*`), as managing the scope itself requires. */
export function grantCoversScope(grant: Pick<Grant, "packages">, scope: string): boolean {
  return grant.packages === null || grant.packages.includes(`${scope}/*`);
}

/** True if every package `inner` allows is allowed by `outer`. */
function patternWithin(inner: string, outer: string): boolean {
  if (outer.endsWith("/*")) return inner.startsWith(outer.slice(0, -1));
  return inner === outer;
}

/**
 * Why a requested grant exceeds the parent's (scopes, packages or lifetime), or null if the
 * parent could have minted it. The one rule for every token a token brings into being or
 * manages: an account's first token, a minted token, a token listed or revoked.
 */
export function grantExcess(parent: Grant, requested: Grant): string | null {
  const extra = requested.scopes.filter((s) => !parent.scopes.includes(s));
  if (extra.length > 0) return `a token cannot grant scopes it does not have: ${extra.join(", ")}`;
  if (parent.packages !== null) {
    if (requested.packages === null)
      return "this token is limited to some packages, so the new token must be limited too";
    const outside = requested.packages.filter((p) => !parent.packages!.some((o) => patternWithin(p, o)));
    if (outside.length > 0) return `a token cannot grant packages outside its own: ${outside.join(", ")}`;
  }
  if (parent.expiresAt !== null && (requested.expiresAt === null || requested.expiresAt > parent.expiresAt)) {
    return `this token expires at ${parent.expiresAt}; a token it creates cannot outlive it`;
  }
  return null;
}

/** Refuses a requested grant that exceeds the parent's: scopes, packages or lifetime. */
export function assertGrantWithin(parent: Grant, requested: Grant): void {
  const excess = grantExcess(parent, requested);
  if (excess) throw new RegistryError("forbidden", excess);
}

export function isExpired(grant: Pick<Grant, "expiresAt">, now = new Date()): boolean {
  return grant.expiresAt !== null && grant.expiresAt <= now.toISOString();
}
