// Turns path parameters into validated package names and versions (the scope may be written
// `@acme` or `acme`). Invalid input becomes a typed error before any storage is touched.
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { parsePackageName } from "../domain/names";
import { parseVersion } from "../domain/versions";
import { routeAccessOf } from "./middleware/route-policy";

/** The `:scope/:name` of the route, parsed (no access check: see packageParam). */
export function parsePackageParam(c: Context<AppEnv>): string {
  const scope = c.req.param("scope") ?? "";
  const name = c.req.param("name") ?? "";
  const withAt = scope.startsWith("@") ? scope : `@${scope}`;
  return parsePackageName(`${withAt}/${name}`).full;
}

/**
 * The package a route acts on. Only a route that declared it names a package may ask, so that
 * private mode's package limit (checked by the route's access declaration) covers it.
 */
export function packageParam(c: Context<AppEnv>): string {
  if (routeAccessOf(c)?.names !== "package") throw new Error(`${c.req.method} ${c.req.routePath} reads a package parameter but does not declare names: "package"`);
  return parsePackageParam(c);
}

export function versionParam(c: Context<AppEnv>): string {
  const raw = c.req.param("version") ?? "";
  parseVersion(raw);
  return raw;
}
