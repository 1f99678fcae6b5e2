// What a publish checks against the registry itself: every pinned dependency exists here, and
// the archive's lock agrees with what the registry logged for it.
//
// DECISION (as crates.io does): a version may pin only registry dependencies (runtime and dev)
// that this registry has, at that exact version, and not removed or deleted by an administrator
// (`dependency_not_found`, 400): otherwise nobody could `ori sync` the package. A yanked
// dependency is allowed, as existing lock files keep working with yanked versions. The lock's
// line for a direct dependency must carry the checksum the registry logged for it
// (`lockfile_mismatch`): a lock that disagrees would fail every user's `ori sync`. Lines for
// other (transitive) packages are not looked up. Each lookup asks the dependency's
// PackageWriter, so a dependency published a moment ago is found (KV may lag by a minute) —
// but only once the log has its entry (every version is logged before it is committed): a pin
// of a name nobody published must not create that name's Durable Object (docs/storage.md).
import type { Env } from "../env";
import { RegistryError } from "../domain/errors";
import type { LockEntry } from "../domain/lockfile";
import type { Dependency, Manifest } from "../domain/manifest";
import type { VersionRecord } from "../domain/package-records";
import { findLoggedVersion } from "./package-access";

/** Lookups in flight at once: a manifest may have a few hundred dependencies. */
const CONCURRENCY = 8;

export async function checkDependencies(env: Env, manifest: Manifest, lock: readonly LockEntry[]): Promise<void> {
  const pinned = new Map<string, { dep: Dependency; table: string }>();
  for (const dep of manifest.dependencies) pinned.set(`${dep.name}@${dep.version}`, { dep, table: "dependencies" });
  for (const dep of manifest.devDependencies)
    if (!pinned.has(`${dep.name}@${dep.version}`))
      pinned.set(`${dep.name}@${dep.version}`, { dep, table: "dev-dependencies" });
  const wanted = [...pinned.values()];
  const records = await mapLimited(wanted, CONCURRENCY, ({ dep }) => findLoggedVersion(env, dep.name, dep.version));
  wanted.forEach(({ dep, table }, i) => check(dep, table, records[i] ?? null, lock));
}

function check(dep: Dependency, table: string, record: VersionRecord | null, lock: readonly LockEntry[]): void {
  const subject = `oripk.toml's [${table}] pins ${dep.name} ${dep.version}`;
  if (!record) {
    throw new RegistryError(
      "dependency_not_found",
      `${subject}, which this registry does not have: publish it first, or pin a version it has`,
      { dependency: dep.name, version: dep.version },
    );
  }
  const gone = record.removed ? "removed" : record.deleted ? "deleted" : null;
  if (gone) {
    throw new RegistryError(
      "dependency_not_found",
      `${subject}, which an administrator ${gone} (${(record.removed ?? record.deleted)!.reason}): pin another version`,
      {
        dependency: dep.name,
        version: dep.version,
      },
    );
  }
  const line = lock.find((e) => e.name === dep.name && e.version === dep.version);
  if (line && line.sha256 !== record.sha256) {
    throw new RegistryError(
      "lockfile_mismatch",
      `oripk.lock has sha256:${line.sha256} for ${dep.name}:${dep.version}, but the registry logged sha256:${record.sha256} (log entry ${record.log.index}): run \`ori sync\` to write the lock again, then pack again`,
      { dependency: dep.name },
    );
  }
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
