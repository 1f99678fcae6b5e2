// Checks that need the manifest and the rest of the archive together: the lock file covers the
// dependencies, and the entry points the manifest names are files of the archive.
//
// DECISION (which dependencies need a lock line), as Ori's `ori sync` writes the lock: it
// downloads and verifies everything a build and its tests need, so the lock has a line for
// every registry package of [dependencies] and [dev-dependencies] (direct and transitive), and
// never one for a `std.*` module (bundled with Ori, never downloaded). The registry requires a
// line for each direct one, at exactly the manifest's version (`lockfile_mismatch`); other
// lines (transitive packages) are allowed as they are.
import { RegistryError } from "../domain/errors";
import { formatLockLine, type LockEntry } from "../domain/lockfile";
import type { Manifest } from "../domain/manifest";

export function checkLockCoversDependencies(manifest: Manifest, lock: readonly LockEntry[]): void {
  const tables: [string, Manifest["dependencies"]][] = [
    ["dependencies", manifest.dependencies],
    // Records stored before dev-dependencies were read have none.
    ["dev-dependencies", manifest.devDependencies ?? []],
  ];
  for (const [table, deps] of tables) {
    for (const dep of deps) {
      if (lock.some((e) => e.name === dep.name && e.version === dep.version)) continue;
      const other = lock.find((e) => e.name === dep.name);
      const why = other
        ? `its [checksums] has ${dep.name} at ${other.version} instead`
        : "its [checksums] has no line for it";
      const line = formatLockLine({ name: dep.name, version: dep.version, sha256: "<64 hex>" }).trim();
      throw new RegistryError(
        "lockfile_mismatch",
        `oripk.toml's [${table}] pins ${dep.name} ${dep.version}, but oripk.lock ${why}: run \`ori sync\` to write the lock again (it adds ${line}), then pack again`,
        { dependency: dep.name },
      );
    }
  }
}

/** `[project.entry]` lib and main must name files the archive holds. */
export function checkEntryPoints(manifest: Manifest, paths: ReadonlySet<string>): void {
  for (const key of ["lib", "main"] as const) {
    const path = manifest.entry[key];
    if (path !== null && !paths.has(path)) {
      throw new RegistryError(
        "manifest_invalid_field",
        `oripk.toml: project.entry.${key}: the archive has no file ${JSON.stringify(path)}; pack it, or fix the path`,
        {
          field: `project.entry.${key}`,
        },
      );
    }
  }
}
