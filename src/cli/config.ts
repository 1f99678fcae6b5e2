// The user's CLI configuration: one JSON file with a token and a pinned log key per registry.
// It holds secrets, so it is written with mode 0600 (and its directory 0700), atomically.
import { randomBytes } from "node:crypto";
import { chmodSync, lstatSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { LocalError } from "./exit-codes";

type Env = Record<string, string | undefined>;

export interface RegistryEntry {
  token?: string;
  /** The log verifier key trusted for this registry, pinned at login or first contact. */
  logKey?: string;
}

export interface UserConfig {
  /** URL of the registry used when none is named. */
  defaultRegistry?: string;
  /** Keyed by normalized registry URL. */
  registries: Record<string, RegistryEntry>;
}

export function configDir(env: Env = process.env): string {
  if (env.ORI_REGISTRY_CONFIG_DIR) return env.ORI_REGISTRY_CONFIG_DIR;
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), ".config");
  return join(base, "ori-registry");
}

export function cacheDir(env: Env = process.env): string {
  if (env.ORI_REGISTRY_CACHE_DIR) return env.ORI_REGISTRY_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), ".cache");
  return join(base, "ori-registry");
}

/** `http://Host:8787/` and `http://host:8787` are one registry. */
export function normalizeUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new LocalError(`"${url}" is not a URL`);
  }
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, "")}`;
}

export class ConfigFile {
  readonly path: string;

  constructor(dir: string) {
    this.path = join(dir, "config.json");
  }

  read(): UserConfig {
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch (err) {
      if ((err as { code?: string }).code === "ENOENT") return { registries: {} };
      throw new LocalError(`cannot read ${this.path}: ${(err as Error).message}`);
    }
    try {
      const parsed = JSON.parse(text) as Partial<UserConfig>;
      return { ...parsed, registries: parsed.registries ?? {} };
    } catch (err) {
      throw new LocalError(`${this.path} is not valid JSON: ${(err as Error).message}`);
    }
  }

  write(config: UserConfig): void {
    const dir = dirname(this.path);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    tightenDirectory(dir);
    // Write a private temp file and rename it, so a crash never leaves half a config and the
    // secret is never readable by others, not even for a moment.
    const tmp = `${this.path}.${randomBytes(6).toString("hex")}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.path);
  }

  entry(url: string): RegistryEntry {
    return this.read().registries[normalizeUrl(url)] ?? {};
  }

  update(url: string, change: (entry: RegistryEntry) => RegistryEntry | null): void {
    const config = this.read();
    const key = normalizeUrl(url);
    const next = change({ ...(config.registries[key] ?? {}) });
    if (next === null || Object.keys(next).length === 0) delete config.registries[key];
    else config.registries[key] = next;
    this.write(config);
  }
}

/**
 * mkdir's mode only applies to a directory it creates: one that already existed (made by an
 * older version, or by hand) keeps whatever it had. Ours is made private; a shared directory
 * (sticky, like /tmp) or someone else's is left alone.
 */
function tightenDirectory(dir: string): void {
  const st = lstatSync(dir);
  // A link is left alone: chmod would follow it to a directory this tool never chose.
  if (!st.isDirectory()) return;
  const ours = typeof process.getuid !== "function" || st.uid === process.getuid();
  if ((st.mode & 0o077) !== 0 && (st.mode & 0o1000) === 0 && ours) chmodSync(dir, 0o700);
}
