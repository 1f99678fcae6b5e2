// Parses and validates a package manifest (`oripk.toml`, DESIGN §1) into the typed `Manifest`
// the registry stores and serves. The text is Ori's dialect: TOML whose dependency keys may be
// bare (`std.json`, `@scope/name = "1.2.3"`, `[dependencies.@scope/name]`), made strict TOML by
// ori-toml.ts — the one parser the registry and the CLI share. Unknown keys are allowed for
// forward compatibility; [registries.*], [workspace] and [publish] are the client's and ignored
// here; a `[scripts]` table is refused (the client strips it before upload).
import { RegistryError, quote } from "./errors";
import { parseDependencyTables, type Dependency, type StdDependency } from "./manifest-dependencies";
import { parseFeatures } from "./manifest-features";
import { fail, has, isTable, type Table } from "./manifest-shape";
import { validatePackageName } from "./names";
import { parseOriToml } from "./ori-toml";
import { isValidVersion, parseVersion } from "./versions";
import { FORBIDDEN_IN_LINE, textProblem } from "./text";

export type { Dependency, StdDependency } from "./manifest-dependencies";

/** `[project.entry]`: the package's entry points, paths under src/ (null when not given). */
export interface EntryPoints {
  lib: string | null;
  main: string | null;
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
  /** Where to support the authors (an http(s) URL). */
  funding?: string;
  /** The Ori edition the sources are written in (`2026`). */
  edition?: string;
  keywords: string[];
  categories: string[];
  /** The Ori language version the package needs. */
  ori: string;
  entry: EntryPoints;
  /** Registry dependencies of [dependencies], sorted by name. */
  dependencies: Dependency[];
  /** Registry dependencies of [dev-dependencies] (tests and tools), sorted by name. */
  devDependencies: Dependency[];
  /** Bundled std modules of [dependencies] (`std.json`), sorted; never resolved by the registry. */
  stdDependencies: StdDependency[];
  /** Bundled std modules of [dev-dependencies], sorted. */
  devStdDependencies: StdDependency[];
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
  edition: 16,
  entryPath: 256,
} as const;

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const CONTROL = FORBIDDEN_IN_LINE; // the one text rule (text.ts): controls, C1, bidi overrides
const EDITION = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const ENTRY_PATH = /^src\/(?:[^/\\:]+\/)*[^/\\:]+$/;

/** Parses `oripk.toml` (text or UTF-8 bytes); every failure is a `RegistryError`. */
export function parseManifest(input: string | Uint8Array): Manifest {
  const text = typeof input === "string" ? input : decodeUtf8(input);
  const root = parseOriToml(text).root;
  rejectScripts(root, []);

  if (!has(root, "project")) fail("manifest_missing_field", "project", "the [project] table is required");
  const project = root.project;
  if (!isTable(project)) fail("invalid_manifest", "project", "`project` must be a table ([project])");

  const name = requiredString(project, "name");
  const nameCheck = validatePackageName(name);
  if (!nameCheck.ok)
    throw new RegistryError(nameCheck.code, `oripk.toml: project.name: ${nameCheck.message}`, {
      field: "project.name",
    });
  const version = requiredString(project, "version");
  try {
    parseVersion(version);
  } catch (err) {
    throw new RegistryError("invalid_version", `oripk.toml: project.version: ${(err as Error).message}`, {
      field: "project.version",
    });
  }
  const description = requiredString(project, "description", MANIFEST_LIMITS.description);
  if (description.trim() === "")
    fail("manifest_missing_field", "project.description", "a non-empty description is required to publish");
  const ori = requiredString(project, "ori");
  if (!isValidVersion(ori))
    fail("manifest_invalid_field", "project.ori", `${quote(ori)} is not an exact Ori version like 0.5.0`);

  const dependencies = parseDependencyTables(root, name);
  const manifest: Manifest = {
    name,
    version,
    description,
    authors: stringList(project, "authors", MANIFEST_LIMITS.authors, MANIFEST_LIMITS.author),
    keywords: slugList(project, "keywords", MANIFEST_LIMITS.keywords, MANIFEST_LIMITS.keyword),
    categories: slugList(project, "categories", MANIFEST_LIMITS.categories, MANIFEST_LIMITS.category),
    ori,
    entry: parseEntry(project),
    ...dependencies,
    features: parseFeatures(root, dependencies.dependencies),
  };
  const license = optionalString(project, "license", MANIFEST_LIMITS.license);
  if (license !== undefined) manifest.license = license;
  for (const key of ["repository", "homepage", "documentation", "funding"] as const) {
    const url = optionalUrl(project, key);
    if (url !== undefined) manifest[key] = url;
  }
  const readme = optionalString(project, "readme", MANIFEST_LIMITS.readme);
  if (readme !== undefined) manifest.readme = readme;
  const edition = optionalString(project, "edition", MANIFEST_LIMITS.edition);
  if (edition !== undefined) {
    if (!EDITION.test(edition))
      fail("manifest_invalid_field", "project.edition", `${quote(edition)} is not an edition like "2026"`);
    manifest.edition = edition;
  }
  return manifest;
}

/** `[project.entry]` lib and main: relative paths of files under src/ (the archive must hold them). */
function parseEntry(project: Table): EntryPoints {
  const entry: EntryPoints = { lib: null, main: null };
  if (!has(project, "entry")) return entry;
  const table = project.entry;
  if (!isTable(table)) fail("invalid_manifest", "project.entry", "`entry` must be a table ([project.entry])");
  for (const key of ["lib", "main"] as const) {
    if (!has(table, key)) continue;
    // Checked as the field `project.entry.<key>`, with the same text rules as every other one.
    const path = optionalString({ [`entry.${key}`]: table[key] }, `entry.${key}`, MANIFEST_LIMITS.entryPath) as string;
    if (!ENTRY_PATH.test(path) || path.split("/").some((s) => s === "." || s === "..")) {
      fail(
        "manifest_invalid_field",
        `project.entry.${key}`,
        `${quote(path)} must be a relative path under src/, e.g. "src/lib.ori"`,
      );
    }
    entry[key] = path;
  }
  return entry;
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
      throw new RegistryError(
        "manifest_has_scripts",
        `oripk.toml still has a [${where}] table: scripts stay on the author's machine: \`ori publish\` (and \`ori-registry pack\`) strip the table before upload`,
        {
          field: where,
        },
      );
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
  if (max !== undefined && v.length > max)
    fail("manifest_invalid_field", `project.${key}`, `is ${v.length} characters long; at most ${max} are allowed`);
  if (key === "description") {
    const problem = textProblem(v, "multiline");
    if (problem) fail("manifest_invalid_field", `project.${key}`, problem);
  } else if (v.trim() === "" || CONTROL.test(v))
    fail("manifest_invalid_field", `project.${key}`, "must be non-empty text without control characters");
  return v;
}

function optionalUrl(table: Table, key: string): string | undefined {
  const v = optionalString(table, key, MANIFEST_LIMITS.url);
  if (v === undefined) return undefined;
  let url: URL | null;
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
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string"))
    fail("manifest_invalid_field", `project.${key}`, "must be a list of strings");
  if (v.length > maxItems)
    fail("manifest_invalid_field", `project.${key}`, `has ${v.length} entries; at most ${maxItems} are allowed`);
  for (const item of v as string[]) {
    if (item.trim() === "" || item.length > maxLength || CONTROL.test(item)) {
      fail(
        "manifest_invalid_field",
        `project.${key}`,
        `each entry must be non-empty text of at most ${maxLength} characters (got ${quote(item)})`,
      );
    }
  }
  return [...(v as string[])];
}

function slugList(table: Table, key: string, maxItems: number, maxLength: number): string[] {
  const list = stringList(table, key, maxItems, maxLength);
  for (const item of list) {
    if (!SLUG.test(item)) {
      fail(
        "manifest_invalid_field",
        `project.${key}`,
        `${quote(item)} may only contain lowercase letters a-z, digits 0-9 and single hyphens between them`,
      );
    }
  }
  return list;
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new RegistryError("invalid_manifest", "oripk.toml is not valid UTF-8 text");
  }
}
