// The reverse-dependency index's rows: a version that pins another is one row of the pinned
// package's index (its PackageWriter keeps it), runtime or dev. Built from the pinning version's
// manifest at its publish, removed at its delete, and re-added by its scans (idempotent).
import type { VersionRecord } from "./package-records";

/** A version that pins another: `dependent@dependentVersion` pins `dependency@dependencyVersion`. */
export interface DependentEdge {
  dependency: string;
  dependencyVersion: string;
  dependent: string;
  dependentVersion: string;
  kind: "runtime" | "dev";
}

/** One row of a package's index, as that package's PackageWriter stores and lists it. */
export interface Dependent {
  /** The package's own version that is pinned. */
  version: string;
  /** The package and version that pin it. */
  name: string;
  dependentVersion: string;
  kind: "runtime" | "dev";
}

/** What a version pins (runtime first, then dev), as edges. */
export function edgesOf(record: Pick<VersionRecord, "name" | "version" | "manifest">): DependentEdge[] {
  const edges = (deps: readonly { name: string; version: string }[], kind: DependentEdge["kind"]) =>
    deps.map((d) => ({
      dependency: d.name,
      dependencyVersion: d.version,
      dependent: record.name,
      dependentVersion: record.version,
      kind,
    }));
  return [...edges(record.manifest.dependencies, "runtime"), ...edges(record.manifest.devDependencies ?? [], "dev")];
}

/** Edges grouped by the package whose index holds them. */
export function rowsByPackage(edges: readonly DependentEdge[]): Map<string, Dependent[]> {
  const out = new Map<string, Dependent[]>();
  for (const e of edges) {
    const rows = out.get(e.dependency) ?? [];
    rows.push({ version: e.dependencyVersion, name: e.dependent, dependentVersion: e.dependentVersion, kind: e.kind });
    out.set(e.dependency, rows);
  }
  return out;
}
