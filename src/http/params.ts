// Turns path parameters into validated package names and versions (the scope may be written
// `@acme` or `acme`). Invalid input becomes a typed error before any storage is touched.
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { parsePackageName } from "../domain/names";
import { parseVersion } from "../domain/versions";

export function packageParam(c: Context<AppEnv>): string {
  const scope = c.req.param("scope") ?? "";
  const name = c.req.param("name") ?? "";
  const withAt = scope.startsWith("@") ? scope : `@${scope}`;
  return parsePackageName(`${withAt}/${name}`).full;
}

export function versionParam(c: Context<AppEnv>): string {
  const raw = c.req.param("version") ?? "";
  parseVersion(raw);
  return raw;
}
