// Does an advisory affect `@scope/name` at a version? The OSV evaluation algorithm
// (https://ossf.github.io/osv-schema/#evaluation), exactly: for each `affected` entry of the
// package, the version is affected if it is listed in `versions` or falls in a range — events
// sorted by version ("0" below everything; at one version introduced < last_affected < fixed),
// then walked: introduced opens, fixed (v >= fixed) and last_affected (v > last_affected) close;
// a range with `limit` events only counts below one of them. SEMVER ranges are compared with the
// registry's one SemVer comparator (pre-releases included); GIT ranges are kept in the record but
// ignored here (there is no commit graph to walk); withdrawn records never match.
// Runtime-neutral: the Worker, the CLI and the advisory scanner share it.
import { compareVersions, parseVersion, type Version } from "../domain/versions";
import { ORI_ECOSYSTEM, type OsvAffected, type OsvEvent, type OsvRange, type OsvRecord } from "./osv";

/**
 * `unknown`: a range could not be evaluated (the version, or an event's version, does not parse
 * as SemVer). A version that cannot be evaluated is never reported safe: callers count `unknown`
 * as affected.
 */
export type Verdict = "affected" | "unaffected" | "unknown";

export function evaluate(record: OsvRecord, pkg: string, version: string): Verdict {
  if (record.withdrawn) return "unaffected";
  const parsed = tryParse(version);
  let unknown = false;
  for (const affected of entriesFor(record, pkg)) {
    if ((affected.versions ?? []).includes(version)) return "affected";
    for (const range of affected.ranges ?? []) {
      const verdict = inRange(range, parsed);
      if (verdict === "affected") return "affected";
      if (verdict === "unknown") unknown = true;
    }
  }
  return unknown ? "unknown" : "unaffected";
}

/** The verdict as a yes/no that never calls an unevaluable version safe. */
export function affects(record: OsvRecord, pkg: string, version: string): boolean {
  return evaluate(record, pkg, version) !== "unaffected";
}

/** The `affected` entries that name this Ori package. */
export function entriesFor(record: Pick<OsvRecord, "affected">, pkg: string): OsvAffected[] {
  return (record.affected ?? []).filter((a) => a.package.ecosystem === ORI_ECOSYSTEM && a.package.name === pkg);
}

/**
 * The version to move to from `version`: the lowest `fixed` event above it in the package's
 * SEMVER ranges, or null when no fix is known (an open range, or `last_affected` only).
 */
export function fixedIn(record: OsvRecord, pkg: string, version: string): string | null {
  const v = tryParse(version);
  let best: { raw: string; v: Version } | null = null;
  for (const f of fixedEvents(record, pkg)) {
    if (v && compareVersions(f.v, v) <= 0) continue;
    if (!best || compareVersions(f.v, best.v) < 0) best = f;
  }
  return best?.raw ?? null;
}

/** Every `fixed` version of the package's SEMVER ranges, lowest first, each once. */
export function fixedVersions(record: OsvRecord, pkg: string): string[] {
  const seen = new Map<string, Version>();
  for (const f of fixedEvents(record, pkg)) seen.set(f.raw, f.v);
  return [...seen.entries()].sort((a, b) => compareVersions(a[1], b[1])).map(([raw]) => raw);
}

function fixedEvents(record: OsvRecord, pkg: string): { raw: string; v: Version }[] {
  const out: { raw: string; v: Version }[] = [];
  for (const a of entriesFor(record, pkg)) {
    for (const r of a.ranges ?? []) {
      if (r.type !== "SEMVER") continue;
      for (const e of r.events) {
        const v = e.fixed === undefined ? null : tryParse(e.fixed);
        if (v) out.push({ raw: e.fixed!, v });
      }
    }
  }
  return out;
}

type Kind = "introduced" | "last_affected" | "fixed" | "limit";
/** At one version: introduced < last_affected < fixed (limit is not part of the walk). */
const ORDER: Record<Kind, number> = { introduced: 0, last_affected: 1, fixed: 2, limit: 3 };

interface Point {
  kind: Kind;
  /** null: the special "0", below every version. */
  at: Version | null;
}

function inRange(range: OsvRange, v: Version | null): Verdict {
  if (range.type !== "SEMVER") return "unaffected"; // GIT: kept, not evaluated; ECOSYSTEM is refused on submission
  const points: Point[] = [];
  for (const event of range.events) {
    const point = toPoint(event);
    if (point === "invalid") return "unknown";
    if (point) points.push(point);
  }
  if (v === null) return points.length > 0 ? "unknown" : "unaffected";
  const limits = points.filter((p) => p.kind === "limit");
  if (limits.length > 0 && !limits.some((p) => below(v, p))) return "unaffected";
  points.sort(comparePoints);
  let vulnerable = false;
  for (const p of points) {
    if (p.kind === "introduced" && atOrAbove(v, p)) vulnerable = true;
    else if (p.kind === "fixed" && atOrAbove(v, p)) vulnerable = false;
    else if (p.kind === "last_affected" && above(v, p)) vulnerable = false;
  }
  return vulnerable ? "affected" : "unaffected";
}

function toPoint(event: OsvEvent): Point | "invalid" | null {
  const kind = (["introduced", "fixed", "last_affected", "limit"] as const).find((k) => event[k] !== undefined);
  if (!kind) return null;
  const raw = event[kind]!;
  if (kind === "introduced" && raw === "0") return { kind, at: null };
  // `limit: "*"` is the implicit infinity: a limit that excludes nothing.
  if (kind === "limit" && raw.includes("*")) return { kind, at: INFINITY };
  const at = tryParse(raw);
  return at ? { kind, at } : "invalid";
}

const INFINITY: Version = { major: Number.POSITIVE_INFINITY, minor: 0, patch: 0, prerelease: [] };

function comparePoints(a: Point, b: Point): number {
  return compareAt(a.at, b.at) || ORDER[a.kind] - ORDER[b.kind];
}

/** "0" (null) sorts below every version. */
function compareAt(a: Version | null, b: Version | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (a === INFINITY || b === INFINITY) return a === b ? 0 : a === INFINITY ? 1 : -1;
  return compareVersions(a, b);
}

const atOrAbove = (v: Version, p: Point) => compareAt(v, p.at) >= 0;
const above = (v: Version, p: Point) => compareAt(v, p.at) > 0;
const below = (v: Version, p: Point) => compareAt(v, p.at) < 0;

function tryParse(version: string): Version | null {
  try {
    return parseVersion(version);
  } catch {
    return null;
  }
}
