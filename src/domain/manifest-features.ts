// The [features] table: each feature names what it turns on. DECISION (the rule, documented in
// docs/archive-rules.md): an entry is
//   - another feature of this package (it must exist in [features]),
//   - a bundled module `std.<module>` (always available, so it need not be listed in
//     [dependencies]), or
//   - `@scope/name` or `@scope/name/feature`: a registry dependency of [dependencies] (not a
//     dev-dependency: features are what users of the package turn on) or one of its features.
// The features a dependency itself offers are not checked here (as crates.io does not): they
// are its own manifest's business, checked when a client resolves it.
import type { Dependency } from "./manifest-dependencies";
import { isStdModuleName } from "./manifest-dependencies";
import { has, isTable, fail, FEATURE_NAME, type Table } from "./manifest-shape";
import { quote } from "./errors";

export const FEATURE_LIMITS = { features: 300, featureName: 64, entries: 128, entry: 128 } as const;

export function parseFeatures(root: Table, dependencies: readonly Dependency[]): Record<string, string[]> {
  const features: Record<string, string[]> = {};
  if (!has(root, "features")) return features;
  const table = root.features;
  if (!isTable(table)) fail("invalid_manifest", "features", "`features` must be a table ([features])");
  const entries = Object.entries(table);
  if (entries.length > FEATURE_LIMITS.features)
    fail("manifest_invalid_field", "features", `at most ${FEATURE_LIMITS.features} features are allowed`);
  for (const [key, value] of entries) {
    if (!FEATURE_NAME.test(key) || key.length > FEATURE_LIMITS.featureName) {
      fail(
        "manifest_invalid_field",
        `features.${key}`,
        `feature names use letters, digits, _ . + - (at most ${FEATURE_LIMITS.featureName} characters)`,
      );
    }
    const ok =
      Array.isArray(value) &&
      value.length <= FEATURE_LIMITS.entries &&
      value.every((x) => typeof x === "string" && x.length > 0 && x.length <= FEATURE_LIMITS.entry);
    if (!ok)
      fail(
        "manifest_invalid_field",
        `features.${key}`,
        `must be a list of at most ${FEATURE_LIMITS.entries} feature, std.<module> or @scope/name/feature names`,
      );
    features[key] = [...(value as string[])];
  }
  const runtime = new Set(dependencies.map((d) => d.name));
  for (const [feature, list] of Object.entries(features)) {
    for (const entry of list) {
      const why = problem(entry, features, runtime);
      if (why) fail("manifest_invalid_field", `features.${feature}`, `${quote(entry)} ${why}`);
    }
  }
  return features;
}

/** Why an entry names nothing it may name, or null when it is fine. */
function problem(entry: string, features: Record<string, string[]>, runtime: ReadonlySet<string>): string | null {
  if (entry.startsWith("std.") || entry === "std")
    return isStdModuleName(entry) ? null : "is not a std module name (std.<module>, lowercase)";
  if (entry.startsWith("@")) {
    const parts = entry.split("/");
    const pkg = parts.slice(0, 2).join("/");
    if (parts.length > 3 || (parts.length === 3 && !FEATURE_NAME.test(parts[2]!)))
      return "is not @scope/name or @scope/name/feature";
    if (!runtime.has(pkg)) return `names ${pkg}, which is not in [dependencies]`;
    return null;
  }
  if (!FEATURE_NAME.test(entry)) return "is not a feature name, a std.<module> or @scope/name/feature";
  return Object.hasOwn(features, entry) ? null : "is not a feature of this package (add it to [features])";
}
