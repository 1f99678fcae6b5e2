// Parses and validates a package manifest (`oripk.toml`, DESIGN §1) into the typed `Manifest`
// the registry stores and serves. Unknown keys are allowed for forward compatibility, except a
// `[scripts]` table, which the client must strip before upload.
//
// DECISION (std dependencies): Ori lists bundled std modules as bare dotted keys (`std.json` on
// a line of its own), which is not TOML. Before parsing, inside the `[dependencies]` section
// only, a line matching /^\s*std(\.[a-z0-9_-]+)+\s*(#.*)?$/ is rewritten to `std.json = "*"`.
// `std.json = "*"` (any value) is accepted as written. In TOML a dotted key builds nested tables
// (`std = { json = "*" }`), so the dotted paths are flattened back into `stdDependencies`
// (["std.json"]). The registry never resolves std dependencies.
import { parse, TomlDate, TomlError } from "smol-toml";
import { RegistryError, quote, type ErrorCode } from "./errors";
import { validatePackageName } from "./names";
import { isValidVersion, parseVersion } from "./versions";
import { FORBIDDEN_IN_LINE, textProblem } from "./text";

export interface Dependency {
  name: string;
  /** Exact `MAJOR.MINOR.PATCH`. */
  version: string;
  features: string[];
}

export interface Manifest {
  name: string;
  version: string;
  description: string;
  license?: string;
  authors: string[];
  repository?: string;
  homepage?: string;
  documentation?: string;
  readme?: string;
  keywords: string[];
  categories: string[];
  /** The Ori language version the package needs. */
  ori: string;
  /** Registry dependencies only, sorted by name. */
  dependencies: Dependency[];
  /** Bundled std modules (`std.json`), sorted; never resolved by the registry. */
  stdDependencies: string[];
  features: Record<string, string[]>;
}

export const MANIFEST_LIMITS = {
  description: 1000,
  license: 128,
  authors: 20,
  author: 256,
  url: 512,
  readme: 256,
  keywords: 10,
  keyword: 32,
  categories: 5,
  category: 64,
  features: 300,
  featureName: 64,
  featureEntry: 128,
} as const;

type Table = { [key: string]: unknown };

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const FEATURE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;
const CONTROL = FORBIDDEN_IN_LINE; // the one text rule (text.ts): controls, C1, bidi overrides
const BARE_STD_LINE = /^(\s*)(std(?:\.[a-z0-9_-]+)+)(\s*(?:#.*)?)$/;
const SECTION_HEADER = /^\s*(\[\[?)\s*([^\]]*?)\s*\]\]?\s*(?:#.*)?$/;

/** Parses `oripk.toml` (text or UTF-8 bytes); every failure is a `RegistryError`. */
export function parseManifest(input: string | Uint8Array): Manifest {
  const text = typeof input === "string" ? input : decodeUtf8(input);
  let root: Table;
  try {
    root = parse(rewriteBareStdLines(text), { unsafeKeyBehaviour: "throw", maxDepth: 32 }) as Table;
  } catch (err) {
    const where = err instanceof TomlError ? ` (line ${err.line}, column ${err.column})` : "";
    const why = err instanceof Error ? err.message.split("\n")[0] : "syntax error";
    throw new RegistryError("invalid_manifest", `oripk.toml is not valid TOML${where}: ${why}`);
  }
  rejectScripts(root, []);

  if (!has(root, "project")) fail("manifest_missing_field", "project", "the [project] table is required");
  const project = root.project;
  if (!isTable(project)) fail("invalid_manifest", "project", "`project` must be a table ([project])");

  const name = requiredString(project, "name");
  const nameCheck = validatePackageName(name);
  if (!nameCheck.ok) throw new RegistryError(nameCheck.code, `oripk.toml: project.name: ${nameCheck.message}`, { field: "project.name" });
  const version = requiredString(project, "version");
  try {
    parseVersion(version);
  } catch (err) {
    throw new RegistryError("invalid_version", `oripk.toml: project.version: ${(err as Error).message}`, { field: "project.version" });
  }
  const description = requiredString(project, "description", MANIFEST_LIMITS.description);
  if (description.trim() === "") fail("manifest_missing_field", "project.description", "a non-empty description is required to publish");
  const ori = requiredString(project, "ori");
  if (!isValidVersion(ori)) fail("manifest_invalid_field", "project.ori", `${quote(ori)} is not an exact Ori version like 0.5.0`);

  const manifest: Manifest = {
    name,
    version,
    description,
    authors: stringList(project, "authors", MANIFEST_LIMITS.authors, MANIFEST_LIMITS.author),
    keywords: slugList(project, "keywords", MANIFEST_LIMITS.keywords, MANIFEST_LIMITS.keyword),
    categories: slugList(project, "categories", MANIFEST_LIMITS.categories, MANIFEST_LIMITS.category),
    ori,
    ...parseDependencies(root, name),
    features: parseFeatures(root),
  };
  const license = optionalString(project, "license", MANIFEST_LIMITS.license);
  if (license !== undefined) manifest.license = license;
  for (const key of ["repository", "homepage", "documentation"] as const) {
    const url = optionalUrl(project, key);
    if (url !== undefined) manifest[key] = url;
  }
  const readme = optionalString(project, "readme", MANIFEST_LIMITS.readme);
  if (readme !== undefined) manifest.readme = readme;
  return manifest;
}

/** Turns bare `std.x` lines of the [dependencies] section into `std.x = "*"` (see header). */
export function rewriteBareStdLines(text: string): string {
  let inDependencies = false;
  let inMultilineString = false;
  return text
    .split("\n")
    .map((raw) => {
      const cr = raw.endsWith("\r") ? "\r" : "";
      const line = cr ? raw.slice(0, -1) : raw;
      if ((line.match(/"""|'''/g)?.length ?? 0) % 2 === 1) inMultilineString = !inMultilineString;
      if (inMultilineString) return raw;
      const header = SECTION_HEADER.exec(line);
      if (header) {
        const key = (header[2] ?? "").replace(/^(["'])(.*)\1$/, "$2");
        inDependencies = header[1] === "[" && key === "dependencies";
        return raw;
      }
      if (!inDependencies) return raw;
      const bare = BARE_STD_LINE.exec(line);
      return bare ? `${bare[1]}${bare[2]} = "*"${bare[3]}${cr}` : raw;
    })
    .join("\n");
}

function parseDependencies(root: Table, self: string): Pick<Manifest, "dependencies" | "stdDependencies"> {
  const out: Pick<Manifest, "dependencies" | "stdDependencies"> = { dependencies: [], stdDependencies: [] };
  if (!has(root, "dependencies")) return out;
  const deps = root.dependencies;
  if (!isTable(deps)) fail("invalid_manifest", "dependencies", "`dependencies` must be a table ([dependencies])");
  for (const [key, value] of Object.entries(deps)) {
    if (key === "std" || key.startsWith("std.")) {
      collectStd(key, value, out.stdDependencies);
      continue;
    }
    const check = validatePackageName(key);
    if (!check.ok) throw depError("invalid_dependency", key, check.message);
    if (key === self) throw depError("dependency_on_self", key, "a package cannot depend on itself");
    out.dependencies.push(parseDependency(key, value));
  }
  out.dependencies.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  out.stdDependencies = [...new Set(out.stdDependencies)].sort();
  return out;
}

function parseDependency(name: string, value: unknown): Dependency {
  let version: unknown = value;
  let features: string[] = [];
  if (isTable(value)) {
    for (const key of ["path", "git"]) {
      if (has(value, key)) throw depError("invalid_dependency", name, `\`${key}\` dependencies cannot be published; depend on a registry version instead`);
    }
    if (!has(value, "version")) throw depError("invalid_dependency", name, 'an exact `version` is required, e.g. version = "1.2.3"');
    version = value.version;
    if (has(value, "features")) {
      const f = value.features;
      if (!Array.isArray(f) || !f.every((x) => typeof x === "string" && FEATURE_NAME.test(x) && x.length <= MANIFEST_LIMITS.featureName)) {
        throw depError("invalid_dependency", name, "`features` must be a list of feature names");
      }
      features = f as string[];
    }
  } else if (typeof value !== "string") {
    throw depError("invalid_dependency", name, 'write it as "@scope/name" = "1.2.3" or as a table with `version` and `features`');
  }
  if (typeof version !== "string") throw depError("invalid_dependency", name, "`version` must be a string");
  if (!isValidVersion(version)) {
    throw depError("dependency_not_exact", name, `version ${quote(version)} is not exact: dependencies must pin one MAJOR.MINOR.PATCH version (no ranges like ^1.0.0, ~1.2, >=1, 1.x or *, no pre-release)`);
  }
  return { name, version, features };
}

function collectStd(path: string, value: unknown, into: string[]): void {
  if (!isTable(value)) {
    into.push(path);
    return;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) into.push(path);
  for (const [key, child] of entries) collectStd(`${path}.${key}`, child, into);
}

function parseFeatures(root: Table): Record<string, string[]> {
  const features: Record<string, string[]> = {};
  if (!has(root, "features")) return features;
  const table = root.features;
  if (!isTable(table)) fail("invalid_manifest", "features", "`features` must be a table ([features])");
  const entries = Object.entries(table);
  if (entries.length > MANIFEST_LIMITS.features) fail("manifest_invalid_field", "features", `at most ${MANIFEST_LIMITS.features} features are allowed`);
  for (const [key, value] of entries) {
    if (!FEATURE_NAME.test(key) || key.length > MANIFEST_LIMITS.featureName) {
      fail("manifest_invalid_field", `features.${key}`, `feature names use letters, digits, _ . + - (at most ${MANIFEST_LIMITS.featureName} characters)`);
    }
    const ok = Array.isArray(value) && value.every((x) => typeof x === "string" && x.length > 0 && x.length <= MANIFEST_LIMITS.featureEntry && !CONTROL.test(x));
    if (!ok) fail("manifest_invalid_field", `features.${key}`, "must be a list of feature or dependency names");
    features[key] = [...(value as string[])];
  }
  return features;
}

function rejectScripts(value: unknown, path: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) rejectScripts(item, path);
    return;
  }
  if (!isTable(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const isTableLike = isTable(child) || (Array.isArray(child) && child.some(isTable));
    if (key === "scripts" && (isTableLike || path.length === 0)) {
      const where = [...path, key].join(".");
      throw new RegistryError("manifest_has_scripts", `oripk.toml still has a [${where}] table: scripts are stripped by \`ori pack\` and must not be published`, {
        field: where,
      });
    }
    rejectScripts(child, [...path, key]);
  }
}

function requiredString(table: Table, key: string, max?: number): string {
  if (!has(table, key)) fail("manifest_missing_field", `project.${key}`, `\`${key}\` is required in [project]`);
  return optionalString(table, key, max) as string;
}

function optionalString(table: Table, key: string, max?: number): string | undefined {
  if (!has(table, key)) return undefined;
  const v = table[key];
  if (typeof v !== "string") fail("manifest_invalid_field", `project.${key}`, "must be a string");
  if (max !== undefined && v.length > max) fail("manifest_invalid_field", `project.${key}`, `is ${v.length} characters long; at most ${max} are allowed`);
  if (key === "description") {
    const problem = textProblem(v, "multiline");
    if (problem) fail("manifest_invalid_field", `project.${key}`, problem);
  } else if (v.trim() === "" || CONTROL.test(v)) fail("manifest_invalid_field", `project.${key}`, "must be non-empty text without control characters");
  return v;
}

function optionalUrl(table: Table, key: string): string | undefined {
  const v = optionalString(table, key, MANIFEST_LIMITS.url);
  if (v === undefined) return undefined;
  let url: URL | null = null;
  try {
    url = new URL(v);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
    fail("manifest_invalid_field", `project.${key}`, `${quote(v)} is not an http(s) URL`);
  }
  return v;
}

function stringList(table: Table, key: string, maxItems: number, maxLength: number): string[] {
  if (!has(table, key)) return [];
  const v = table[key];
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) fail("manifest_invalid_field", `project.${key}`, "must be a list of strings");
  if (v.length > maxItems) fail("manifest_invalid_field", `project.${key}`, `has ${v.length} entries; at most ${maxItems} are allowed`);
  for (const item of v as string[]) {
    if (item.trim() === "" || item.length > maxLength || CONTROL.test(item)) {
      fail("manifest_invalid_field", `project.${key}`, `each entry must be non-empty text of at most ${maxLength} characters (got ${quote(item)})`);
    }
  }
  return [...(v as string[])];
}

function slugList(table: Table, key: string, maxItems: number, maxLength: number): string[] {
  const list = stringList(table, key, maxItems, maxLength);
  for (const item of list) {
    if (!SLUG.test(item)) {
      fail("manifest_invalid_field", `project.${key}`, `${quote(item)} may only contain lowercase letters a-z, digits 0-9 and single hyphens between them`);
    }
  }
  return list;
}

function depError(code: ErrorCode, name: string, why: string): RegistryError {
  return new RegistryError(code, `oripk.toml: dependency ${quote(name)}: ${why}`, { dependency: name.slice(0, 100) });
}

function fail(code: ErrorCode, field: string, why: string): never {
  throw new RegistryError(code, `oripk.toml: ${field}: ${why}`, { field });
}

function has(table: Table, key: string): boolean {
  return Object.hasOwn(table, key);
}

function isTable(v: unknown): v is Table {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof TomlDate) && !(v instanceof Date);
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new RegistryError("invalid_manifest", "oripk.toml is not valid UTF-8 text");
  }
}
