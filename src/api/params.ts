// Path parameters shared by route groups. Each is an object of the raw strings a URL carries
// (what a caller fills in and the document shows) that transforms into checked values with the
// domain's own rules, so a bad name is `invalid_name` and a bad version `invalid_version`
// before any storage is touched. The scope may be written `@acme` or `acme`.
import { z } from "zod";
import { RegistryError } from "../domain/errors";
import { isUsername, parsePackageName, parseScope, USERNAME_RULE } from "../domain/names";
import { parseVersion } from "../domain/versions";

const scope = z.string().meta({ description: "`@acme` or `acme`", example: "@acme" });
const name = z.string().meta({ example: "http" });
const version = z
  .string()
  .meta({ description: "SemVer 2.0, e.g. `1.0.0` or `1.0.0-beta.1` (no build metadata)", example: "1.0.0" });
const username = z.string().meta({ description: USERNAME_RULE, example: "alice" });

/** `@scope/name` from the `{scope}` and `{name}` of a path (no access check: see http/route-access). */
export function packageOf(params: { scope: string; name: string }): string {
  const withAt = params.scope.startsWith("@") ? params.scope : `@${params.scope}`;
  return parsePackageName(`${withAt}/${params.name}`).full;
}

function checkedVersion(raw: string): string {
  parseVersion(raw);
  return raw;
}

/** A username from the path: checked before it reaches storage or a message. */
function checkedUsername(raw: string): string {
  if (!isUsername(raw)) throw new RegistryError("bad_request", `not a username (${USERNAME_RULE})`);
  return raw;
}

export const PackagePath = z.object({ scope, name }).transform((p) => ({ pkg: packageOf(p) }));
export const VersionPath = z
  .object({ scope, name, version })
  .transform((p) => ({ pkg: packageOf(p), version: checkedVersion(p.version) }));
export const ScopePath = z.object({ scope }).transform((p) => ({ scope: parseScope(p.scope).full }));
export const PackageUserPath = z
  .object({ scope, name, username })
  .transform((p) => ({ pkg: packageOf(p), username: checkedUsername(p.username) }));
export const ScopeUserPath = z
  .object({ scope, username })
  .transform((p) => ({ scope: parseScope(p.scope).full, username: checkedUsername(p.username) }));

/** A username in a request body: the same rule, as a zod check (a 400 that says the rule). */
export const UsernameField = z.string().refine(isUsername, `not a username (${USERNAME_RULE})`);

/** An advisory's `{id}`: an ORI id or an alias (the service decides which, and answers 404 for neither). */
export const AdvisoryIdPath = z.object({
  id: z.string().meta({ description: "an ORI id, or an alias (CVE, GHSA, …)", example: "ORI-2026-0001" }),
});
