// What a version's metadata, a version list, the audit and the CLI show of an advisory: its id,
// summary, severity with the computed base score next to each vector, aliases and the version
// that fixes it. Computed from the current records on every read, so a new advisory shows on a
// version without anything being republished.
import { rating } from "./cvss";
import { affects, entriesFor, fixedIn, fixedVersions } from "./match";
import type { OsvRecord } from "./osv";
import type { AdvisoryView, SeverityView } from "./wire";

export type { AdvisoryView, SeverityView };

interface ScoredEntry {
  type: string;
  vector: string;
  base_score: number;
}

/** The severity of the record for this package: the package entry's own, else the record's. */
export function severityFor(record: OsvRecord, pkg: string): SeverityView[] {
  const entry = entriesFor(record, pkg).find((a) => (a.severity ?? []).length > 0);
  const list = entry?.severity ?? record.severity ?? [];
  const scores = ((entry ?? record).database_specific?.cvss ?? []) as ScoredEntry[];
  return list.map((s) => {
    const scored = scores.find((c) => c.type === s.type && c.vector === s.score);
    return {
      type: s.type,
      vector: s.score,
      baseScore: scored?.base_score ?? null,
      baseSeverity: scored ? rating(scored.base_score) : null,
    };
  });
}

/** The view of one advisory as it concerns `pkg` at `version`. */
export function advisoryView(record: OsvRecord, pkg: string, version: string): AdvisoryView {
  return {
    id: record.id,
    summary: record.summary ?? null,
    aliases: record.aliases ?? [],
    severity: severityFor(record, pkg),
    fixedIn: fixedIn(record, pkg, version),
    modified: record.modified,
    withdrawn: record.withdrawn ?? null,
  };
}

/** The advisories of `records` that affect `pkg` at `version`, highest base score first, then id. */
export function advisoriesAffecting(records: readonly OsvRecord[], pkg: string, version: string): AdvisoryView[] {
  return records
    .filter((r) => affects(r, pkg, version))
    .map((r) => advisoryView(r, pkg, version))
    .sort((a, b) => topScore(b) - topScore(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** What a package-level list shows: every fix of the package, not one version's. */
export function packageAdvisoryView(
  record: OsvRecord,
  pkg: string,
): Omit<AdvisoryView, "fixedIn"> & { fixedVersions: string[] } {
  const { fixedIn: _unused, ...rest } = advisoryView(record, pkg, "0.0.0");
  return { ...rest, fixedVersions: fixedVersions(record, pkg) };
}

function topScore(a: AdvisoryView): number {
  return Math.max(-1, ...a.severity.map((s) => s.baseScore ?? -1));
}
