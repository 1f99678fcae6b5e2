// URL paths for package and scope names. Names are checked for shape here (so a typo fails
// before any request) but the server stays the authority on every naming rule.

const PART = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Splits `@scope/name` (the `@` is optional) into its parts, or throws a TypeError. */
export function splitPackageName(pkg: string): { scope: string; name: string } {
  const m = /^@?([^/]+)\/([^/]+)$/.exec(pkg);
  if (!m || !PART.test(m[1]!) || !PART.test(m[2]!)) {
    throw new TypeError(
      `"${pkg}" is not a package name: write it as @scope/name (lowercase letters, digits, single hyphens)`,
    );
  }
  return { scope: m[1]!, name: m[2]! };
}

/** `/v1/scopes/@scope`. */
export function scopePath(scope: string): string {
  const bare = scope.replace(/^@/, "");
  if (!PART.test(bare)) throw new TypeError(`"${scope}" is not a scope: write it as @scope`);
  return `/v1/scopes/@${bare}`;
}

/** The `{scope}` and `{name}` path parameters of a package (the scope written `@scope`). */
export function packageParams(pkg: string): { scope: string; name: string } {
  const { scope, name } = splitPackageName(pkg);
  return { scope: `@${scope}`, name };
}
