// Ori's rules for an advisory, checked after the OSV schema: what the schema cannot know about
// Ori's packages and versions, what OSV recommends but does not require, and the limits of a
// registry that shows this text to people. Each problem carries a stable code and the JSON path
// of the offending value.
import type { ErrorCode } from "../domain/errors";
import { validatePackageName } from "../domain/names";
import { textProblem } from "../domain/text";
import { compareVersions, isValidVersion, parseVersion } from "../domain/versions";
import { scoreSeverity } from "./cvss";
import { ALIAS_PATTERN, aliasKey, isAdvisoryId } from "./ids";
import type { OsvAffected, OsvEvent, OsvRange, OsvRecord, OsvSeverity } from "./osv";

export interface RuleProblem {
  code: ErrorCode;
  path: string;
  message: string;
}

/** DECISION (limits): generous for real advisories, small enough to show and to index. */
export const ADVISORY_LIMITS = {
  summary: 256,
  details: 32_768,
  affected: 100,
  ranges: 20,
  events: 100,
  versions: 1_000,
  aliases: 20,
  related: 50,
  references: 100,
  credits: 50,
  text: 1_000,
} as const;

const EVENT_KEYS = ["introduced", "fixed", "last_affected", "limit"] as const;

export function checkOriRules(record: OsvRecord): RuleProblem | null {
  return (
    checkText(record) ??
    checkIdentifiers(record) ??
    checkAffected(record) ??
    checkSeverities(record.severity, "severity") ??
    checkReferences(record) ??
    null
  );
}

function problem(code: ErrorCode, path: string, message: string): RuleProblem {
  return { code, path, message: `${path}: ${message}` };
}

/** Text people read in terminals and pages follows the registry's one text rule (src/domain/text.ts). */
function checkText(r: OsvRecord): RuleProblem | null {
  if (r.summary !== undefined) {
    if (r.summary.length > ADVISORY_LIMITS.summary)
      return problem(
        "advisory_invalid_field",
        "summary",
        `at most ${ADVISORY_LIMITS.summary} characters (it is a one-line summary; the rest goes in details)`,
      );
    const bad = textProblem(r.summary, "line");
    if (bad) return problem("advisory_invalid_field", "summary", `a one-line summary; this one ${bad}`);
  }
  if (r.details !== undefined) {
    if (r.details.length > ADVISORY_LIMITS.details)
      return problem("advisory_invalid_field", "details", `at most ${ADVISORY_LIMITS.details} characters`);
    const bad = textProblem(r.details, "multiline");
    if (bad) return problem("advisory_invalid_field", "details", bad);
  }
  for (const [i, c] of (r.credits ?? []).entries()) {
    if (i >= ADVISORY_LIMITS.credits)
      return problem("advisory_invalid_field", "credits", `at most ${ADVISORY_LIMITS.credits} credits`);
    for (const [where, text] of [
      ["name", c.name],
      ...(c.contact ?? []).map((x, j) => [`contact[${j}]`, x] as const),
    ] as const) {
      const bad =
        text.length > ADVISORY_LIMITS.text
          ? `is longer than ${ADVISORY_LIMITS.text} characters`
          : textProblem(text, "line");
      if (bad) return problem("advisory_invalid_field", `credits[${i}].${where}`, `one line of text; this one ${bad}`);
    }
  }
  return null;
}

function checkIdentifiers(r: OsvRecord): RuleProblem | null {
  const aliases = r.aliases ?? [];
  if (aliases.length > ADVISORY_LIMITS.aliases)
    return problem("advisory_invalid_field", "aliases", `at most ${ADVISORY_LIMITS.aliases} aliases`);
  const seen = new Set<string>();
  for (const [i, alias] of aliases.entries()) {
    const path = `aliases[${i}]`;
    if (alias.toUpperCase().startsWith("ORI-"))
      return problem(
        "advisory_invalid_field",
        path,
        "an Ori advisory is never an alias of another; name it in related or upstream",
      );
    if (!ALIAS_PATTERN.test(alias))
      return problem(
        "advisory_invalid_field",
        path,
        "an alias is another database's id, such as CVE-2026-1234 or GHSA-xxxx-xxxx-xxxx",
      );
    if (seen.has(aliasKey(alias)))
      return problem("advisory_invalid_field", path, `${JSON.stringify(alias)} is listed twice`);
    seen.add(aliasKey(alias));
  }
  for (const field of ["related", "upstream"] as const) {
    const ids = r[field] ?? [];
    if (ids.length > ADVISORY_LIMITS.related)
      return problem("advisory_invalid_field", field, `at most ${ADVISORY_LIMITS.related} ids`);
    for (const [i, id] of ids.entries()) {
      if (id === r.id) return problem("advisory_invalid_field", `${field}[${i}]`, "a record does not relate to itself");
      if (!isAdvisoryId(id) && !ALIAS_PATTERN.test(id))
        return problem(
          "advisory_invalid_field",
          `${field}[${i}]`,
          "an advisory id (ORI-YYYY-NNNN) or another database's id (CVE-…, GHSA-…)",
        );
    }
  }
  return null;
}

function checkAffected(r: OsvRecord): RuleProblem | null {
  const affected = r.affected ?? [];
  if (affected.length === 0)
    return problem("advisory_invalid_package", "affected", "an Ori advisory names at least one affected package");
  if (affected.length > ADVISORY_LIMITS.affected)
    return problem("advisory_invalid_package", "affected", `at most ${ADVISORY_LIMITS.affected} entries`);
  for (const [i, a] of affected.entries()) {
    const found = checkEntry(a, `affected[${i}]`);
    if (found) return found;
  }
  return null;
}

function checkEntry(a: OsvAffected, at: string): RuleProblem | null {
  const name = validatePackageName(a.package.name);
  if (!name.ok) return problem("advisory_invalid_package", `${at}.package.name`, name.message);
  if (a.package.purl !== undefined) {
    return problem(
      "advisory_invalid_package",
      `${at}.package.purl`,
      "Ori has no registered package URL type yet: name the package by ecosystem and name only",
    );
  }
  const versions = a.versions ?? [];
  const ranges = a.ranges ?? [];
  if (versions.length === 0 && ranges.length === 0)
    return problem("advisory_invalid_range", at, "names no affected version: give ranges, versions or both");
  if (versions.length > ADVISORY_LIMITS.versions)
    return problem("advisory_invalid_version", `${at}.versions`, `at most ${ADVISORY_LIMITS.versions} versions`);
  for (const [j, v] of versions.entries()) {
    if (!isValidVersion(v)) return problem("advisory_invalid_version", `${at}.versions[${j}]`, versionHint(v));
  }
  if (ranges.length > ADVISORY_LIMITS.ranges)
    return problem("advisory_invalid_range", `${at}.ranges`, `at most ${ADVISORY_LIMITS.ranges} ranges`);
  for (const [k, range] of ranges.entries()) {
    const found = checkRange(range, `${at}.ranges[${k}]`);
    if (found) return found;
  }
  return checkSeverities(a.severity, `${at}.severity`);
}

function checkRange(range: OsvRange, at: string): RuleProblem | null {
  if (range.type === "ECOSYSTEM") {
    return problem(
      "advisory_invalid_range",
      `${at}.type`,
      "Ori versions are SemVer: write the range as SEMVER (tools such as osv-scanner evaluate SEMVER ranges for any ecosystem)",
    );
  }
  if (range.events.length > ADVISORY_LIMITS.events)
    return problem("advisory_invalid_range", `${at}.events`, `at most ${ADVISORY_LIMITS.events} events`);
  let introduced = false;
  let fixedAt = -1;
  let lastAffectedAt = -1;
  for (const [e, event] of range.events.entries()) {
    const path = `${at}.events[${e}]`;
    const keys = Object.keys(event);
    const kind = EVENT_KEYS.find((k) => k in event);
    if (keys.length !== 1 || kind === undefined)
      return problem(
        "advisory_invalid_range",
        path,
        "an event has exactly one key: introduced, fixed, last_affected or limit",
      );
    if (kind === "introduced") introduced = true;
    if (kind === "fixed") fixedAt = e;
    if (kind === "last_affected") lastAffectedAt = e;
    if (range.type !== "SEMVER") continue; // GIT: commit hashes, checked by the schema; kept, not evaluated
    if (kind === "limit") {
      return problem(
        "advisory_invalid_range",
        path,
        "limit events are refused in SEMVER ranges: OSV reserves them for git ranges; close the range with fixed or last_affected",
      );
    }
    const value = event[kind]!;
    if (!(kind === "introduced" && value === "0") && !isValidVersion(value))
      return problem("advisory_invalid_version", `${path}.${kind}`, versionHint(value));
  }
  if (!introduced)
    return problem(
      "advisory_invalid_range",
      `${at}.events`,
      'every range needs an introduced event ("0" for since the first version)',
    );
  if (fixedAt >= 0 && lastAffectedAt >= 0) {
    return problem(
      "advisory_invalid_range",
      `${at}.events[${Math.max(fixedAt, lastAffectedAt)}]`,
      "a range has fixed or last_affected events, not both",
    );
  }
  if (range.type === "SEMVER") return checkEmptyWindows(range.events, at);
  return null;
}

/** `introduced` = `fixed` opens and closes at once: almost surely a typo for another version. */
function checkEmptyWindows(events: OsvEvent[], at: string): RuleProblem | null {
  const introduced = events.flatMap((e) =>
    e.introduced !== undefined && e.introduced !== "0" ? [parseVersion(e.introduced)] : [],
  );
  for (const [e, event] of events.entries()) {
    if (event.fixed === undefined) continue;
    const fixed = parseVersion(event.fixed);
    if (introduced.some((v) => compareVersions(v, fixed) === 0)) {
      return problem(
        "advisory_invalid_range",
        `${at}.events[${e}]`,
        `fixed ${event.fixed} equals an introduced version: the range would affect nothing`,
      );
    }
  }
  return null;
}

function checkSeverities(list: OsvSeverity[] | null | undefined, at: string): RuleProblem | null {
  const types = new Set<string>();
  for (const [j, s] of (list ?? []).entries()) {
    if (types.has(s.type))
      return problem("advisory_invalid_severity", `${at}[${j}].type`, `one ${s.type} vector per severity list`);
    types.add(s.type);
    const scored = scoreSeverity(s.type, s.score);
    if (!scored.ok)
      return problem(
        "advisory_invalid_severity",
        `${at}[${j}].${s.type === "CVSS_V3" || s.type === "CVSS_V4" ? "score" : "type"}`,
        scored.message,
      );
  }
  return null;
}

function checkReferences(r: OsvRecord): RuleProblem | null {
  const refs = r.references ?? [];
  if (refs.length > ADVISORY_LIMITS.references)
    return problem("advisory_invalid_field", "references", `at most ${ADVISORY_LIMITS.references} references`);
  for (const [i, ref] of refs.entries()) {
    // A reference becomes a link on a page: only the web's own schemes (never javascript:, data:…).
    if (!/^https?:\/\/[^\s]+$/i.test(ref.url) || ref.url.length > 2048)
      return problem(
        "advisory_invalid_field",
        `references[${i}].url`,
        "an http or https URL of at most 2048 characters",
      );
  }
  return null;
}

function versionHint(value: string): string {
  const shown = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return `${shown} is not an Ori version (MAJOR.MINOR.PATCH, optionally with a pre-release such as 1.0.0-beta.1; no build metadata, no leading v)`;
}
