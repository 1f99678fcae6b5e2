// The advisory scan of one version: which advisories affect the version itself, and which affect
// each version of its dependency closure (closure.ts), with the version that fixes each. Pure:
// the inline processor and the container run exactly this, over the records the caller read
// from the advisory database (withdrawn records never match, so a withdrawal disappears on the
// next scan). The views are the ones version metadata shows (advisories/summary.ts).
import { advisoriesAffecting, type AdvisoryView } from "../advisories/summary";
import type { OsvRecord } from "../advisories/osv";
import { entriesFor } from "../advisories/match";
import type { ClosureEntry } from "./closure";

export interface ScanRequest {
  name: string;
  version: string;
  /** The version's dependency closure. */
  dependencies: ClosureEntry[];
  /** The advisories to check: at least every record naming the version's package or a dependency's. */
  advisories: OsvRecord[];
}

export interface DependencyFinding extends ClosureEntry {
  advisories: AdvisoryView[];
}

export interface ScanFindings {
  /** The advisories affecting the version itself. */
  advisories: AdvisoryView[];
  /** The dependencies some advisory affects (only those), in closure order. */
  dependencyAdvisories: DependencyFinding[];
}

export function scanVersion(req: ScanRequest): ScanFindings {
  const byPackage = new Map<string, OsvRecord[]>();
  for (const record of req.advisories) {
    for (const name of new Set((record.affected ?? []).map((a) => a.package.name))) {
      if (entriesFor(record, name).length === 0) continue;
      const list = byPackage.get(name) ?? [];
      list.push(record);
      byPackage.set(name, list);
    }
  }
  const dependencyAdvisories: DependencyFinding[] = [];
  for (const dep of req.dependencies) {
    const found = advisoriesAffecting(byPackage.get(dep.name) ?? [], dep.name, dep.version);
    if (found.length > 0) dependencyAdvisories.push({ ...dep, advisories: found });
  }
  return {
    advisories: advisoriesAffecting(byPackage.get(req.name) ?? [], req.name, req.version),
    dependencyAdvisories,
  };
}
