// The shapes the registry stores and serves for packages and versions. The PackageWriter
// Durable Object owns them; KV holds JSON projections of exactly these shapes.
import type { Dependency, Manifest, StdDependency } from "./manifest";
import type { DependencyFinding } from "../scanning/scan";
import { compareVersions, isPrerelease, latestOf } from "./versions";

export interface LogPosition {
  /** Index of the version's entry in the transparency log. */
  index: number;
  /** The entry's bytes: `<name> <version> sha256:<hex>\n`. */
  entry: string;
}

export interface RemovalInfo {
  reason: string;
  at: string;
  by: string;
}

/**
 * Where one step of a version's pipeline (processing, scanning) is: `pending` from the commit
 * that asks for it until a job finishes it; `done`; `failed` with the reason (a refusal of the
 * stored bytes at once, a fault once every retry failed). `at` is when it got there.
 */
export interface StepState {
  status: "pending" | "done" | "failed";
  at: string;
  reason: string | null;
}

export interface ProcessingState extends StepState {
  /** How many files the file index lists, once done. */
  files: number | null;
  /** Whether the archive has a README.md (rendered to HTML), once done. */
  readme: boolean | null;
}

export interface ScanState extends StepState {
  /**
   * The advisory database's revision the findings were read at (null before the first scan):
   * a scan never replaces findings read at a later revision, so scans that finish out of order
   * cannot bring back an older picture.
   */
  revision: number | null;
  /** The ids of the advisories affecting the version itself, as the scan found them. */
  advisories: string[];
  /** The dependencies (the closure, scanning/closure.ts) some advisory affects. */
  dependencyAdvisories: DependencyFinding[];
}

/** One published version and its lifecycle flags. */
export interface VersionRecord {
  name: string;
  version: string;
  /** Lowercase hex sha256 of the archive's compressed bytes. */
  sha256: string;
  size: number;
  publishedAt: string;
  publishedBy: string;
  log: LogPosition;
  yanked: boolean;
  /** Deprecation message, or null. */
  deprecated: string | null;
  /** Admin emergency removal: the version answers 410 everywhere. */
  removed: RemovalInfo | null;
  /** Admin delete: the archive is gone for good; the log entry stays. */
  deleted: RemovalInfo | null;
  manifest: Manifest;
  readme: string | null;
  /** The pipeline after the publish (absent on versions committed before it existed). */
  processing?: ProcessingState;
  scan?: ScanState;
}

/**
 * What a version list shows of each version, and the list, as stored (KV, the PackageWriter):
 * the API's shapes (src/api/shapes.ts) without each version's advisory ids, which every read adds
 * from the current advisories (services/advisory-service.ts, withAdvisoryFlags). `latest` is the
 * latest available version (not yanked, removed or deleted; stable first: `latestOf`), or null;
 * `versions` are in SemVer precedence order, oldest first.
 */
export type VersionSummary = Omit<ServedVersionSummary, "advisories">;
export type VersionList = Omit<ServedVersionList, "versions"> & { versions: VersionSummary[] };
import type { VersionList as ServedVersionList, VersionSummary as ServedVersionSummary } from "../api/shapes";

/** The version list of a package from its records (in any order). */
export function versionListDocument(name: string, records: readonly VersionRecord[]): VersionList {
  const sorted = [...records].sort((a, b) => compareVersions(a.version, b.version));
  const latest = latestOf(
    sorted.filter((r) => !r.yanked && !r.removed && !r.deleted),
    (r) => r.version,
  );
  return { name, latest: latest?.version ?? null, versions: sorted.map(summarize) };
}

export function summarize(r: VersionRecord): VersionSummary {
  return {
    version: r.version,
    sha256: r.sha256,
    size: r.size,
    publishedAt: r.publishedAt,
    logIndex: r.log.index,
    yanked: r.yanked,
    deprecated: r.deprecated,
    removed: r.removed !== null,
    deleted: r.deleted !== null,
  };
}

/**
 * The public metadata document of one version (GET …/{version}/metadata). `advisories` are the
 * advisories affecting this version, computed from the current advisory database.
 */
export function metadataDocument<A = never>(r: VersionRecord, advisories: readonly A[] = []) {
  const m = r.manifest;
  return {
    name: r.name,
    version: r.version,
    description: m.description,
    license: m.license ?? null,
    authors: m.authors,
    repository: m.repository ?? null,
    homepage: m.homepage ?? null,
    documentation: m.documentation ?? null,
    funding: m.funding ?? null,
    keywords: m.keywords,
    categories: m.categories,
    edition: m.edition ?? null,
    ori: m.ori,
    // Records stored before these fields were read lack them: served as their defaults.
    entry: m.entry ?? { lib: null, main: null },
    dependencies: m.dependencies.map(dependencyDocument),
    devDependencies: (m.devDependencies ?? []).map(dependencyDocument),
    stdDependencies: (m.stdDependencies ?? []).map(stdDocument),
    devStdDependencies: (m.devStdDependencies ?? []).map(stdDocument),
    features: m.features,
    prerelease: isPrerelease(r.version),
    sha256: r.sha256,
    size: r.size,
    publishedAt: r.publishedAt,
    publishedBy: r.publishedBy,
    logIndex: r.log.index,
    yanked: r.yanked,
    deprecated: r.deprecated,
    removed: r.removed,
    deleted: r.deleted,
    readme: r.readme,
    advisories: [...advisories],
    processing: r.processing ? stepDocument(r.processing) : null,
    scan: r.scan ? { ...stepDocument(r.scan), revision: r.scan.revision, advisories: r.scan.advisories } : null,
    dependencyAdvisories: r.scan?.dependencyAdvisories ?? [],
  };
}

function stepDocument(s: StepState): StepState {
  return { status: s.status, at: s.at, reason: s.reason };
}

/** The pipeline's state at the commit of a new version: both steps pending. */
export function pendingPipeline(at: string): Pick<VersionRecord, "processing" | "scan"> {
  return {
    processing: { status: "pending", at, reason: null, files: null, readme: null },
    scan: { status: "pending", at, reason: null, revision: null, advisories: [], dependencyAdvisories: [] },
  };
}

function dependencyDocument(d: Dependency): Dependency {
  return { name: d.name, version: d.version, features: d.features, defaultFeatures: d.defaultFeatures ?? true };
}

/** A std module; records from before pinned std modules were read hold bare names. */
function stdDocument(s: StdDependency | string): StdDependency {
  return typeof s === "string" ? { name: s, version: null } : { name: s.name, version: s.version };
}
