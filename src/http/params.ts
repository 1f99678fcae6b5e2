// Turns path parameters into validated package names and versions (the scope may be written
// `@acme` or `acme`). Invalid input becomes a typed error before any storage is touched.
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { grantCoversPackage } from "../domain/access";
import { RegistryError } from "../domain/errors";
import { parsePackageName } from "../domain/names";
import { parseVersion } from "../domain/versions";
import { isPrivate } from "./middleware/private-mode";

export function packageParam(c: Context<AppEnv>): string {
  const scope = c.req.param("scope") ?? "";
  const name = c.req.param("name") ?? "";
  const withAt = scope.startsWith("@") ? scope : `@${scope}`;
  const pkg = parsePackageName(`${withAt}/${name}`).full;
  // A private registry does not reveal packages outside a limited token's patterns.
  const principal = c.get("principal");
  if (isPrivate(c) && principal && !grantCoversPackage(principal, pkg)) {
    throw new RegistryError("package_not_found", `package ${pkg} does not exist`);
  }
  return pkg;
}

export function versionParam(c: Context<AppEnv>): string {
  const raw = c.req.param("version") ?? "";
  parseVersion(raw);
  return raw;
}
