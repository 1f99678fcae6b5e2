// Which registry a command talks to, and with which token. Precedence: --registry (a URL, or a
// name from the project's [registries.NAME] tables), then ORI_REGISTRY_URL, the config's
// default, the project's [registries.default], and http://127.0.0.1:8787. Tokens:
// ORI_REGISTRY_<NAME>_TOKEN for a named registry, ORI_REGISTRY_TOKEN for the default one, then
// the token stored by `login`. ORI_REGISTRY_TOKEN only ever goes to a default the *user* chose
// (environment, config file or built-in): a project directory is not trusted to redirect it.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { rewriteBareStdLines } from "../domain/manifest";
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
    throw new UsageError(`unknown registry "${flag}": give a URL or one of the names in oripk.toml's [registries] (${known.length ? known.join(", ") : "none defined"})`);
  }
  // A URL given on the command line still gets its name's token when the manifest names it.
  name ??= Object.entries(named).find(([, u]) => normalizeUrl(u) === url)?.[0] ?? null;

  const candidates: [string, string | undefined][] = [];
  if (name !== null) candidates.push([`$${tokenVariable(name)}`, env[tokenVariable(name)]]);
  // The default registry's variable is never sent to another registry, nor to one that a
  // cloned project's oripk.toml chose.
  if (url === userDefault) candidates.push(["$ORI_REGISTRY_TOKEN", env.ORI_REGISTRY_TOKEN]);
  candidates.push(["the config file (ori-registry login)", config.registries[url]?.token]);
  const found = candidates.find(([, v]) => v !== undefined && v !== "");
  return { url, name, token: found?.[1] ?? null, tokenSource: found?.[0] ?? null, tokenHint: tokenHint(url, name, userDefault, env) };
}

function tokenHint(url: string, name: string | null, userDefault: string, env: Record<string, string | undefined>): string {
  const login = `run \`ori-registry login --registry ${url}\``;
  if (name !== null) return `${login}, or set ${tokenVariable(name)}`;
  if (url === userDefault) return `${login}, or set ORI_REGISTRY_TOKEN`;
  // The most puzzling case: the variable is set, but this registry is not the default it is for.
  // Never suggest pointing the default at this URL alone: that would send the token there.
  const unused = env.ORI_REGISTRY_TOKEN ? ` (the ORI_REGISTRY_TOKEN set now goes only to the default registry, ${userDefault})` : "";
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
    root = parse(rewriteBareStdLines(readFileSync(path, "utf8"))) as Record<string, unknown>;
  } catch (err) {
    throw new LocalError(`${path} is not valid TOML: ${(err as Error).message.split("\n")[0]}`);
  }
  const table = root.registries;
  if (table === undefined) return {};
  if (typeof table !== "object" || table === null) throw new LocalError(`${path}: [registries] must be a table of [registries.NAME] tables`);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(table as Record<string, unknown>)) {
    const url = typeof value === "string" ? value : (value as { url?: unknown } | null)?.url;
    if (typeof url !== "string") throw new LocalError(`${path}: [registries.${name}] needs url = "https://…"`);
    out[name] = url;
  }
  return out;
}
