// The shapes of what the advisory routes answer besides OSV records themselves — an advisory
// as it concerns one version, and the audit of a lock file — as zod schemas, the one source of
// these types: the Worker builds them (summary.ts, audit.ts), the client checks answers against
// them (loose objects: extra fields are fine, a missing or mistyped one is named).
import { z } from "zod";

const count = z.number().int().nonnegative();

export const SeverityView = z.looseObject({
  type: z.string(),
  /** The vector, as the record has it. */
  vector: z.string(),
  baseScore: z.number().nullable(),
  baseSeverity: z.enum(["NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL"]).nullable(),
});

export const AdvisoryView = z.looseObject({
  id: z.string(),
  summary: z.string().nullable(),
  aliases: z.array(z.string()),
  severity: z.array(SeverityView),
  /** The version to upgrade to from the version asked about, or null if no fix is known. */
  fixedIn: z.string().nullable(),
  modified: z.string(),
  withdrawn: z.string().nullable(),
});

export const AuditProblem = z.enum(["unknown_package", "unknown_version", "checksum_mismatch"]);

export const AuditEntry = z.looseObject({
  name: z.string(),
  version: z.string(),
  /** The lock's checksum (hex). */
  sha256: z.string(),
  /** The checksum the registry logged for this version, or null when it has none. */
  loggedSha256: z.string().nullable(),
  problem: AuditProblem.nullable(),
  yanked: z.boolean(),
  removed: z.boolean(),
  advisories: z.array(AdvisoryView),
});

export const AuditReport = z.looseObject({
  entries: z.array(AuditEntry),
  summary: z.looseObject({
    entries: count,
    /** Entries with at least one advisory. */
    vulnerable: count,
    /** Distinct advisories across the lock. */
    advisories: count,
    unknown: count,
    checksumMismatches: count,
  }),
});

export type SeverityView = z.output<typeof SeverityView>;
export type AdvisoryView = z.output<typeof AdvisoryView>;
export type AuditProblem = z.output<typeof AuditProblem>;
export type AuditEntry = z.output<typeof AuditEntry>;
export type AuditReport = z.output<typeof AuditReport>;
