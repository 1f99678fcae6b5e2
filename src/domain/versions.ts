// Versions are strict semver MAJOR.MINOR.PATCH (DESIGN §1): no pre-release or build suffix,
// no leading zeros, no `v` prefix, each component a safe integer so ordering is exact.
import { RegistryError, quote } from "./errors";

export interface Version {
  major: number;
  minor: number;
  patch: number;
}

const STRICT = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;

/** Parses `MAJOR.MINOR.PATCH`; throws `invalid_version` with a hint at what to change. */
export function parseVersion(input: string): Version {
  const m = typeof input === "string" ? STRICT.exec(input) : null;
  if (!m) throw new RegistryError("invalid_version", `${describe(input)}: ${hint(input)}`, { version: String(input).slice(0, 100) });
  const parts = [m[1], m[2], m[3]].map(Number);
  if (parts.some((n) => !Number.isSafeInteger(n))) {
    throw new RegistryError("invalid_version", `${describe(input)}: each component must be at most ${Number.MAX_SAFE_INTEGER}`, {
      version: input.slice(0, 100),
    });
  }
  const [major, minor, patch] = parts as [number, number, number];
  return { major, minor, patch };
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
  return `${v.major}.${v.minor}.${v.patch}`;
}

/** Numeric ordering (so 1.10.0 > 1.9.0); negative, zero or positive like a sort comparator. */
export function compareVersions(a: string | Version, b: string | Version): number {
  const x = typeof a === "string" ? parseVersion(a) : a;
  const y = typeof b === "string" ? parseVersion(b) : b;
  return Math.sign(x.major - y.major) || Math.sign(x.minor - y.minor) || Math.sign(x.patch - y.patch);
}

function describe(input: unknown): string {
  return typeof input === "string" ? `${quote(input)} is not a valid version` : "a version must be a string";
}

function hint(input: unknown): string {
  const base = "write it as MAJOR.MINOR.PATCH, e.g. 1.0.0";
  if (typeof input !== "string") return base;
  if (/^[vV]/.test(input)) return `drop the "v" prefix (${base})`;
  if (/[-+]/.test(input)) return `pre-release and build suffixes (-rc.1, +build) are not allowed (${base})`;
  if (/(^|\.)0[0-9]/.test(input)) return `numbers must not have leading zeros (${base})`;
  if (/^[0-9]+(\.[0-9]+)?$/.test(input)) return `all three components are required (${base})`;
  return base;
}
