// Which registry a command talks to, and with which token. Precedence: --registry (a URL, or a
// name from the project's [registries.NAME] tables), then ORI_REGISTRY_URL, the config's
// default, the project's [registries.default], and http://127.0.0.1:8787. Tokens:
// ORI_REGISTRY_<NAME>_TOKEN for a named registry, ORI_REGISTRY_TOKEN for the default one, then
// the token stored by `login`. ORI_REGISTRY_TOKEN only ever goes to a default the *user* chose
// (environment, config file or built-in): a project directory is not trusted to redirect it.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseOriToml } from "../domain/ori-toml";
import type { UserConfig } from "./config";
import { normalizeUrl } from "./config";
import { LocalError, UsageError } from "./exit-codes";

export const BUILTIN_DEFAULT_REGISTRY = "http://127.0.0.1:8787";

export interface ResolvedRegistry {
  url: string;
  /** The registry's name in oripk.toml, if it has one. */
  name: string | null;
  token: string | null;
  /** Where the token came from, for `whoami` and error hints. */
  tokenSource: string | null;
  /** How a person gives this registry a token: for "no token" errors and 401 hints. */
  tokenHint: string;
  /** What to do when the token sent is refused (null when none is sent): where it came from and what replaces it. */
  refusedHint: string | null;
}

export interface RegistryInputs {
  flag: string | undefined;
  /** [registries.NAME] url values from the project manifest. */
  named: Record<string, string>;
  config: UserConfig;
  env: Record<string, string | undefined>;
}

export function resolveRegistry({ flag, named, config, env }: RegistryInputs): ResolvedRegistry {
  const userDefault = normalizeUrl(env.ORI_REGISTRY_URL || config.defaultRegistry || BUILTIN_DEFAULT_REGISTRY);
  const hasUserDefault = Boolean(env.ORI_REGISTRY_URL || config.defaultRegistry);
  const defaultUrl = hasUserDefault || named.default === undefined ? userDefault : normalizeUrl(named.default);
  let url: string;
  let name: string | null = null;
  if (flag === undefined) {
    url = defaultUrl;
  } else if (/^https?:\/\//i.test(flag)) {
    url = normalizeUrl(flag);
  } else if (named[flag] !== undefined) {
    url = normalizeUrl(named[flag]!);
    name = flag;
  } else {
    const known = Object.keys(named);
    throw new UsageError(
      `unknown registry "${flag}": give a URL or one of the names in oripk.toml's [registries] (${known.length ? known.join(", ") : "none defined"})`,
    );
  }
  // A URL given on the command line still gets its name's token when the manifest names it.
  name ??= Object.entries(named).find(([, u]) => normalizeUrl(u) === url)?.[0] ?? null;

  // Each place a token may come from; `variable` is set for environment variables.
  const candidates: { source: string; value: string | undefined; variable?: string }[] = [];
  const fromVariable = (variable: string) =>
    candidates.push({ source: `$${variable}`, value: env[variable], variable });
  if (name !== null) fromVariable(tokenVariable(name));
  // The default registry's variable is never sent to another registry, nor to one that a
  // cloned project's oripk.toml chose.
  if (url === userDefault) fromVariable("ORI_REGISTRY_TOKEN");
  candidates.push({ source: "the config file (ori-registry login)", value: config.registries[url]?.token });
  const found = candidates.find((c) => c.value !== undefined && c.value !== "");
  const login = `run \`ori-registry login --registry ${url}\``;
  return {
    url,
    name,
    token: found?.value ?? null,
    tokenSource: found?.source ?? null,
    tokenHint: tokenHint(url, name, userDefault, env, login),
    refusedHint: found ? refusedHint(found, login) : null,
  };
}

/** The token sent was refused: say where it came from, and what would replace it. */
function refusedHint(found: { source: string; variable?: string }, login: string): string {
  // A variable wins over the config file, so logging in again would not help while it is set.
  if (found.variable)
    return `the token in ${found.source} was not accepted (unknown, expired or revoked): replace it, or unset ${found.variable} to use the one stored by \`ori-registry login\``;
  return `the token stored by \`ori-registry login\` was not accepted (unknown, expired or revoked): ${login} with a new one`;
}

/** No token would be sent: say how to give this registry one. */
function tokenHint(
  url: string,
  name: string | null,
  userDefault: string,
  env: Record<string, string | undefined>,
  login: string,
): string {
  if (name !== null) return `${login}, or set ${tokenVariable(name)}`;
  if (url === userDefault) return `${login}, or set ORI_REGISTRY_TOKEN`;
  // The most puzzling case: the variable is set, but this registry is not the default it is for.
  // Never suggest pointing the default at this URL alone: that would send the token there.
  const unused = env.ORI_REGISTRY_TOKEN
    ? ` (the ORI_REGISTRY_TOKEN set now goes only to the default registry, ${userDefault})`
    : "";
  return `${login}, or set ORI_REGISTRY_URL=${url} together with ORI_REGISTRY_TOKEN holding a token of that registry${unused}`;
}

/** `ORI_REGISTRY_<NAME>_TOKEN`, NAME upper-cased with other characters as `_`. */
export function tokenVariable(name: string): string {
  return `ORI_REGISTRY_${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_TOKEN`;
}

/** The [registries.NAME] tables of the project's oripk.toml (empty if there is none). */
export function readProjectRegistries(projectDir: string): Record<string, string> {
  const path = join(projectDir, "oripk.toml");
  if (!existsSync(path)) return {};
  let root: Record<string, unknown>;
  try {
    root = parseOriToml(readFileSync(path, "utf8")).root;
  } catch (err) {
    throw new LocalError(`${path}: ${(err as Error).message}`);
  }
  const table = root.registries;
  if (table === undefined) return {};
  if (typeof table !== "object" || table === null)
    throw new LocalError(`${path}: [registries] must be a table of [registries.NAME] tables`);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(table as Record<string, unknown>)) {
    const url = typeof value === "string" ? value : (value as { url?: unknown } | null)?.url;
    if (typeof url !== "string") throw new LocalError(`${path}: [registries.${name}] needs url = "https://…"`);
    out[name] = url;
  }
  return out;
}
