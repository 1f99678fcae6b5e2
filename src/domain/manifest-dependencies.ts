// The [dependencies] and [dev-dependencies] tables of a manifest (DESIGN §1), once Ori's bare
// keys are TOML (ori-toml.ts). Registry dependencies pin one exact version (a pre-release is an
// explicit opt-in), may choose `features` and `default-features`, and are never the package
// itself; `std.*` modules are bundled with Ori, written alone (`std.json`) or pinned
// (`std.crypto = "1.0.1"`), and never resolved against the registry.
import { quote } from "./errors";
import { has, isTable, depError, fail, FEATURE_NAME, type Table } from "./manifest-shape";
import { validatePackageName } from "./names";
import { isValidVersion } from "./versions";

export interface Dependency {
  name: string;
  /** One exact SemVer version (`1.2.3`, or an opted-in pre-release such as `1.0.0-beta.1`). */
  version: string;
  /** Features of the dependency to enable. */
  features: string[];
  /** `default-features = false` turns the dependency's default features off. */
  defaultFeatures: boolean;
}

export interface StdDependency {
  /** `std.json`, `std.collections.hashmap`. */
  name: string;
  /** A pinned exact version (`std.crypto = "1.0.1"`), or null for the one bundled with Ori. */
  version: string | null;
}

export interface DependencyTables {
  /** Registry dependencies of [dependencies], sorted by name. */
  dependencies: Dependency[];
  /** Registry dependencies of [dev-dependencies] (tests and tools only), sorted by name. */
  devDependencies: Dependency[];
  /** Bundled std modules of [dependencies], sorted by name. */
  stdDependencies: StdDependency[];
  /** Bundled std modules of [dev-dependencies], sorted by name. */
  devStdDependencies: StdDependency[];
}

export const DEPENDENCY_LIMITS = {
  /** Entries of one table, registry and std together. */
  perTable: 128,
  featuresPerDependency: 64,
  featureName: 64,
  stdName: 64,
} as const;

const STD_SEGMENT = /^[a-z][a-z0-9_]*$/;
const SETTINGS = ["version", "features", "default-features"];

/** Both dependency tables of the manifest's root. `self` is the package's own name. */
export function parseDependencyTables(root: Table, self: string): DependencyTables {
  const runtime = parseTable(root, "dependencies", self);
  const dev = parseTable(root, "dev-dependencies", self);
  // Ori's single-version policy: one package, one version in the whole graph.
  for (const d of dev.registry) {
    const r = runtime.registry.find((x) => x.name === d.name);
    if (r && r.version !== d.version) {
      throw depError(
        "invalid_dependency",
        d.name,
        `it is ${r.version} in [dependencies] but ${d.version} here: a package has one version in a project`,
        "dev-dependencies",
      );
    }
  }
  return {
    dependencies: runtime.registry,
    devDependencies: dev.registry,
    stdDependencies: runtime.std,
    devStdDependencies: dev.std,
  };
}

/** Whether a string names a std module: `std` and at least one lowercase segment. */
export function isStdModuleName(name: string): boolean {
  const parts = name.split(".");
  return (
    name.length <= DEPENDENCY_LIMITS.stdName &&
    parts.length >= 2 &&
    parts[0] === "std" &&
    parts.slice(1).every((p) => STD_SEGMENT.test(p))
  );
}

function parseTable(
  root: Table,
  table: "dependencies" | "dev-dependencies",
  self: string,
): { registry: Dependency[]; std: StdDependency[] } {
  const registry: Dependency[] = [];
  const std: StdDependency[] = [];
  if (!has(root, table)) return { registry, std };
  const deps = root[table];
  if (!isTable(deps)) fail("invalid_manifest", table, `\`${table}\` must be a table ([${table}])`);
  for (const [key, value] of Object.entries(deps)) {
    if (key === "std" || key.startsWith("std.")) {
      collectStd(key, value, table, std);
      continue;
    }
    const check = validatePackageName(key);
    if (!check.ok) throw depError("invalid_dependency", key, check.message, table);
    if (key === self) throw depError("dependency_on_self", key, "a package cannot depend on itself", table);
    registry.push(parseDependency(key, value, table));
  }
  const seen = new Set<string>();
  for (const s of std) {
    // `std.json` and `"std.json" = "*"` are two TOML keys for one module.
    if (seen.has(s.name))
      throw depError("invalid_dependency", s.name, "is listed twice (once dotted, once quoted)", table);
    seen.add(s.name);
  }
  if (registry.length + std.length > DEPENDENCY_LIMITS.perTable)
    fail("manifest_invalid_field", table, `at most ${DEPENDENCY_LIMITS.perTable} dependencies are allowed`);
  return { registry: registry.sort(byName), std: std.sort(byName) };
}

function parseDependency(name: string, value: unknown, table: string): Dependency {
  const dep: Dependency = { name, version: "", features: [], defaultFeatures: true };
  let version: unknown = value;
  if (isTable(value)) {
    for (const key of ["path", "git"]) {
      if (has(value, key))
        throw depError(
          "invalid_dependency",
          name,
          `\`${key}\` dependencies cannot be published; depend on a registry version instead`,
          table,
        );
    }
    if (!has(value, "version"))
      throw depError("invalid_dependency", name, 'an exact `version` is required, e.g. version = "1.2.3"', table);
    version = value.version;
    if (has(value, "features")) dep.features = featureList(name, value.features, table);
    if (has(value, "default-features")) {
      if (typeof value["default-features"] !== "boolean")
        throw depError("invalid_dependency", name, "`default-features` must be true or false", table);
      dep.defaultFeatures = value["default-features"];
    }
  } else if (typeof value !== "string") {
    throw depError(
      "invalid_dependency",
      name,
      'write it as @scope/name = "1.2.3", or as a table with `version`, `features` and `default-features`',
      table,
    );
  }
  if (typeof version !== "string") throw depError("invalid_dependency", name, "`version` must be a string", table);
  if (!isValidVersion(version)) throw notExact(name, version, table);
  dep.version = version;
  return dep;
}

function featureList(name: string, value: unknown, table: string): string[] {
  const ok =
    Array.isArray(value) &&
    value.every((x) => typeof x === "string" && FEATURE_NAME.test(x) && x.length <= DEPENDENCY_LIMITS.featureName);
  if (!ok) throw depError("invalid_dependency", name, "`features` must be a list of feature names", table);
  if (value.length > DEPENDENCY_LIMITS.featuresPerDependency)
    throw depError(
      "invalid_dependency",
      name,
      `at most ${DEPENDENCY_LIMITS.featuresPerDependency} features may be enabled`,
      table,
    );
  return [...new Set(value as string[])];
}

/**
 * `std.json = "*"` is TOML for the nested table `std = { json = "*" }`: walks it back to module
 * names. A table with a non-table `version`, `features` or `default-features` is one module's
 * settings (`[dependencies.std.crypto]` with `version = "1.0.1"`); an empty table is a module
 * without settings; any other table is a level of module names.
 */
function collectStd(path: string, value: unknown, table: string, into: StdDependency[]): void {
  if (isTable(value) && Object.keys(value).length > 0 && !SETTINGS.some((k) => has(value, k) && !isTable(value[k]))) {
    for (const [key, child] of Object.entries(value)) collectStd(`${path}.${key}`, child, table, into);
    return;
  }
  if (!isStdModuleName(path)) {
    throw depError(
      "invalid_dependency",
      path,
      "a bundled module is std.<module>, in lowercase letters, digits and _ (e.g. std.json)",
      table,
    );
  }
  into.push({ name: path, version: stdVersion(path, value, table) });
}

function stdVersion(name: string, value: unknown, table: string): string | null {
  let version: unknown = value;
  if (isTable(value)) {
    if (!has(value, "version")) return null;
    version = value.version;
  }
  if (version === "*") return null;
  if (typeof version !== "string")
    throw depError(
      "invalid_dependency",
      name,
      'write it alone (std.json) or pinned to an exact version (std.crypto = "1.0.1")',
      table,
    );
  if (!isValidVersion(version)) throw notExact(name, version, table);
  return version;
}

function notExact(name: string, version: string, table: string) {
  return depError(
    "dependency_not_exact",
    name,
    `version ${quote(version)} is not exact: a dependency pins one version, e.g. "1.2.3" or an opted-in pre-release "1.0.0-beta.1" (no ranges like ^1.0.0, ~1.2, >=1, 1.x or *, no build metadata)`,
    table,
  );
}

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
