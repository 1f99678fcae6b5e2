// The audit of an `oripk.lock`: for each entry, the advisories that affect its exact version,
// and whether the registry knows that version with that checksum (the one its transparency log
// holds). Pure: the caller gathers the facts (version lists, advisories), so the Worker, the CLI
// and the scanner compute the same answer.
import type { LockEntry } from "../domain/lockfile";
import type { OsvRecord } from "./osv";
import { advisoriesAffecting } from "./summary";
import type { AuditEntry, AuditProblem, AuditReport } from "./wire";

/** What the registry knows of one package: its versions with their logged sha256 and flags. */
export interface KnownVersion {
  sha256: string;
  yanked: boolean;
  removed: boolean;
  deleted: boolean;
}

export type { AuditEntry, AuditProblem, AuditReport } from "./wire";

/**
 * @param known each package's versions, or null when the registry has no such package.
 * @param advisories each package's advisory records (withdrawn ones never match).
 */
export function auditLock(
  entries: readonly LockEntry[],
  known: ReadonlyMap<string, ReadonlyMap<string, KnownVersion> | null>,
  advisories: ReadonlyMap<string, readonly OsvRecord[]>,
): AuditReport {
  const out = entries.map((e): AuditEntry => {
    const versions = known.get(e.name) ?? null;
    const found = versions?.get(e.version) ?? null;
    const problem: AuditProblem | null =
      versions === null
        ? "unknown_package"
        : found === null
          ? "unknown_version"
          : found.sha256 !== e.sha256
            ? "checksum_mismatch"
            : null;
    return {
      name: e.name,
      version: e.version,
      sha256: e.sha256,
      loggedSha256: found?.sha256 ?? null,
      problem,
      yanked: found?.yanked ?? false,
      removed: found ? found.removed || found.deleted : false,
      // Matching needs only the name and version: a package this registry does not know can
      // still have an advisory (it may come from elsewhere).
      advisories: advisoriesAffecting(advisories.get(e.name) ?? [], e.name, e.version),
    };
  });
  const ids = new Set(out.flatMap((e) => e.advisories.map((a) => a.id)));
  return {
    entries: out,
    summary: {
      entries: out.length,
      vulnerable: out.filter((e) => e.advisories.length > 0).length,
      advisories: ids.size,
      unknown: out.filter((e) => e.problem === "unknown_package" || e.problem === "unknown_version").length,
      checksumMismatches: out.filter((e) => e.problem === "checksum_mismatch").length,
    },
  };
}
