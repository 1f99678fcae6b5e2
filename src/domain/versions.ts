// Versions are SemVer 2.0 (DESIGN §1): MAJOR.MINOR.PATCH with an optional pre-release
// (`1.0.0-beta.1`, opt-in in Ori), never build metadata (`+…`), no leading zeros, no `v`.
// `compareVersions` is the one ordering of the whole registry (lists, "latest", lock files,
// advisories): SemVer precedence, exact for numbers of any size.
import { RegistryError, quote } from "./errors";

export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** Pre-release identifiers (`["beta", "1"]` for `-beta.1`); empty for a stable version. */
  prerelease: readonly string[];
}

/**
 * DECISION (limits): a version is at most 64 characters and a pre-release has at most 8
 * identifiers; MAJOR, MINOR and PATCH are safe integers. npm allows 256 characters, but a
 * version is a path segment, a KV key part and half of a log entry: 64 is plenty
 * (`1.0.0-alpha.1` is 13).
 */
export const VERSION_LIMITS = { length: 64, prereleaseIdentifiers: 8 } as const;

const NUMBER = "0|[1-9][0-9]*";
const IDENTIFIER = "0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*";
const SEMVER = new RegExp(
  `^(${NUMBER})\\.(${NUMBER})\\.(${NUMBER})(?:-((?:${IDENTIFIER})(?:\\.(?:${IDENTIFIER}))*))?$`,
);
const NUMERIC = /^[0-9]+$/;

/** Parses a version; throws `invalid_version` with a hint at what to change. */
export function parseVersion(input: string): Version {
  const m = typeof input === "string" && input.length <= VERSION_LIMITS.length ? SEMVER.exec(input) : null;
  if (!m) throw invalid(input, hint(input));
  const parts = [m[1], m[2], m[3]].map(Number);
  if (parts.some((n) => !Number.isSafeInteger(n)))
    throw invalid(input, `MAJOR, MINOR and PATCH must each be at most ${Number.MAX_SAFE_INTEGER}`);
  const prerelease = m[4] === undefined ? [] : m[4].split(".");
  if (prerelease.length > VERSION_LIMITS.prereleaseIdentifiers) {
    throw invalid(input, `a pre-release has at most ${VERSION_LIMITS.prereleaseIdentifiers} dot-separated identifiers`);
  }
  const [major, minor, patch] = parts as [number, number, number];
  return { major, minor, patch, prerelease };
}

export function isValidVersion(input: unknown): input is string {
  if (typeof input !== "string") return false;
  try {
    parseVersion(input);
    return true;
  } catch {
    return false;
  }
}

export function formatVersion(v: Version): string {
  const core = `${v.major}.${v.minor}.${v.patch}`;
  return v.prerelease.length ? `${core}-${v.prerelease.join(".")}` : core;
}

/** Whether a (valid) version has a pre-release part: `1.0.0-rc.1` yes, `1.0.0` no. */
export function isPrerelease(v: string | Version): boolean {
  return (typeof v === "string" ? parseVersion(v) : v).prerelease.length > 0;
}

/**
 * SemVer 2.0 precedence (§11), as a sort comparator (negative, zero or positive): numeric
 * MAJOR.MINOR.PATCH, then a pre-release sorts before its release; identifiers compare left to
 * right, numbers numerically (any size), other identifiers in ASCII order, numbers before
 * words, and a shorter list before a longer one it begins.
 */
export function compareVersions(a: string | Version, b: string | Version): number {
  const x = typeof a === "string" ? parseVersion(a) : a;
  const y = typeof b === "string" ? parseVersion(b) : b;
  const core = Math.sign(x.major - y.major) || Math.sign(x.minor - y.minor) || Math.sign(x.patch - y.patch);
  if (core !== 0) return core;
  if (x.prerelease.length === 0 || y.prerelease.length === 0)
    return Math.sign(y.prerelease.length - x.prerelease.length);
  const n = Math.min(x.prerelease.length, y.prerelease.length);
  for (let i = 0; i < n; i++) {
    const c = compareIdentifiers(x.prerelease[i] as string, y.prerelease[i] as string);
    if (c !== 0) return c;
  }
  return Math.sign(x.prerelease.length - y.prerelease.length);
}

/**
 * The "latest" of a set of versions: the highest stable one while there is one, else the
 * highest pre-release (DESIGN §1: a latest is never a pre-release while a stable version
 * exists). The caller chooses which items count (e.g. not yanked). Null for none.
 */
export function latestOf<T>(items: readonly T[], versionOf: (item: T) => string): T | null {
  let best: T | null = null;
  let bestVersion: Version | null = null;
  for (const item of items) {
    const v = parseVersion(versionOf(item));
    if (bestVersion === null || rank(v, bestVersion) > 0) {
      best = item;
      bestVersion = v;
    }
  }
  return best;
}

/** Stable above pre-release, then precedence. */
function rank(a: Version, b: Version): number {
  const stable = Number(a.prerelease.length === 0) - Number(b.prerelease.length === 0);
  return stable || compareVersions(a, b);
}

function compareIdentifiers(a: string, b: string): number {
  const an = NUMERIC.test(a);
  const bn = NUMERIC.test(b);
  // Numeric identifiers have no leading zeros, so a longer one is a larger number.
  if (an && bn) return Math.sign(a.length - b.length) || (a < b ? -1 : a > b ? 1 : 0);
  if (an !== bn) return an ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function invalid(input: unknown, why: string): RegistryError {
  const what = typeof input === "string" ? `${quote(input)} is not a valid version` : "a version must be a string";
  return new RegistryError("invalid_version", `${what}: ${why}`, { version: String(input).slice(0, 100) });
}

function hint(input: unknown): string {
  const base = "write it as MAJOR.MINOR.PATCH, e.g. 1.0.0, or with a pre-release, e.g. 1.0.0-beta.1";
  if (typeof input !== "string") return base;
  if (input.length > VERSION_LIMITS.length)
    return `it is ${input.length} characters long; at most ${VERSION_LIMITS.length} are allowed`;
  if (/^[vV]/.test(input)) return `drop the "v" prefix (${base})`;
  if (input.includes("+"))
    return `build metadata (+…) is not allowed: a version is published once, so a build suffix cannot tell two archives apart (${base})`;
  if (/^[0-9]+\.[0-9]+\.[0-9]+-/.test(input)) {
    const pre = input.slice(input.indexOf("-") + 1);
    if (pre.split(".").some((id) => id.length > 1 && NUMERIC.test(id) && id.startsWith("0")))
      return `numeric pre-release identifiers must not have leading zeros (${base})`;
    return `a pre-release is dot-separated identifiers of A-Z, a-z, 0-9 and -, none empty (${base})`;
  }
  if (/(^|\.)0[0-9]/.test(input)) return `numbers must not have leading zeros (${base})`;
  if (/^[0-9]+(\.[0-9]+)?$/.test(input)) return `all three components are required (${base})`;
  return base;
}
