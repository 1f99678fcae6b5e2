// Every advisory shape that crosses the wire, as zod schemas — the one source of these types: the
// OSV record as this registry serves it (a transcription of osv-schema.json 1.7.5, which stays
// the authority for validating submissions: validate.ts), osv.dev's query and answers, an
// advisory as it concerns one version, a record's history, and the audit of a lock file. The Worker builds them (summary.ts, audit.ts),
// the API contract (src/api/advisories.ts, osv.ts) declares and documents them (each `id` is a
// named schema under the OpenAPI document's components), the client checks answers with them.
import { z } from "zod";

const count = z.number().int().nonnegative();
const timestamp = z.string().meta({ description: "RFC 3339, UTC (`Z`)", example: "2026-11-28T12:00:00Z" });
const openObject = z.record(z.string(), z.unknown());

// --- the OSV record (https://ossf.github.io/osv-schema/) ---
// Open below the top level, as the official schema is (it refuses unknown keys only at the top):
// a submission's other keys are kept, never stripped by the contract's parse.

export const OsvSeverity = z
  .looseObject({
    type: z.enum(["CVSS_V2", "CVSS_V3", "CVSS_V4", "Ubuntu"]),
    /** For CVSS types, the vector string (`CVSS:3.1/AV:N/…`). */
    score: z.string().meta({ example: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" }),
  })
  .meta({
    id: "OsvSeverity",
    description: "A severity: its type and, for CVSS, the vector (this registry takes CVSS_V3 and CVSS_V4)",
  });

export const OsvEvent = z
  .looseObject({
    introduced: z.string().optional(),
    fixed: z.string().optional(),
    last_affected: z.string().optional(),
    limit: z.string().optional(),
  })
  .meta({ id: "OsvEvent", description: "One event of a range: exactly one of its keys is set" });

export const OsvRange = z
  .looseObject({
    type: z.enum(["SEMVER", "ECOSYSTEM", "GIT"]),
    repo: z.string().optional(),
    events: z.array(OsvEvent),
    database_specific: openObject.optional(),
  })
  .meta({
    id: "OsvRange",
    description: "Affected versions as events; this registry evaluates SEMVER ranges and keeps GIT ranges",
  });

export const OsvAffected = z
  .looseObject({
    package: z.looseObject({
      ecosystem: z.string().meta({ example: "Ori" }),
      name: z.string().meta({ example: "@acme/http" }),
      purl: z.string().optional(),
    }),
    severity: z.array(OsvSeverity).nullable().optional(),
    ranges: z.array(OsvRange).optional(),
    versions: z.array(z.string()).optional(),
    ecosystem_specific: openObject.optional(),
    database_specific: openObject.optional(),
  })
  .meta({ id: "OsvAffected", description: "A package the record affects, with its ranges and/or explicit versions" });

export const OsvReference = z
  .looseObject({ type: z.string(), url: z.string() })
  .meta({ id: "OsvReference", description: "A link: its OSV type (ADVISORY, FIX, WEB, …) and URL" });

export const OsvCredit = z
  .looseObject({ name: z.string(), contact: z.array(z.string()).optional(), type: z.string().optional() })
  .meta({
    id: "OsvCredit",
    description: "Someone credited, with how to reach them and their role (FINDER, REPORTER, …)",
  });

/** The record's own content: what a submitter writes (and what stays of a stored record without the registry's fields). */
const content = {
  aliases: z.array(z.string()).nullable().optional(),
  related: z.array(z.string()).optional(),
  upstream: z.array(z.string()).optional(),
  summary: z.string().optional(),
  details: z.string().optional(),
  severity: z.array(OsvSeverity).nullable().optional(),
  affected: z.array(OsvAffected).nullable().optional(),
  references: z.array(OsvReference).nullable().optional(),
  credits: z.array(OsvCredit).optional(),
  database_specific: openObject.optional(),
};

export const OsvRecord = z
  .object({
    schema_version: z.string().optional(),
    id: z.string().meta({ description: "`ORI-YYYY-NNNN`", example: "ORI-2026-0001" }),
    modified: timestamp,
    published: timestamp.optional(),
    withdrawn: timestamp.optional(),
    ...content,
  })
  .meta({
    id: "OsvRecord",
    description:
      "An advisory: an OSV record (schema 1.7.5, ecosystem `Ori`); the registry sets `id`, `published`, `modified`, `withdrawn`, and the computed CVSS scores in `database_specific.cvss`",
  });

/**
 * What an administrator sends: an OSV record without the registry's fields (a create sets none;
 * a replacement may echo them as it read them, and the database checks the echo).
 */
export const AdvisorySubmission = OsvRecord.partial({ id: true, modified: true }).meta({
  id: "AdvisorySubmission",
  description:
    "An OSV record to store (at most 256 KiB), validated by the official OSV schema 1.7.5 and the registry's rules (docs/advisories.md). A create leaves out `id`, `published`, `modified` and `withdrawn`; a replacement may echo them as it read them",
});

// --- osv.dev's query API (https://google.github.io/osv.dev/api/) ---

export const OsvQueryRequest = z
  .object({
    package: z
      .object({
        name: z.string().min(1).max(200).optional(),
        ecosystem: z.string().max(100).optional(),
        purl: z.string().max(1000).optional(),
      })
      .optional(),
    version: z.string().min(1).max(256).optional(),
    commit: z.string().max(100).optional(),
    page_token: z.string().max(512).optional(),
  })
  .meta({
    id: "OsvQueryRequest",
    description:
      'An osv.dev query: `{"package": {"name": "@scope/name", "ecosystem": "Ori"}, "version": "1.2.3"}` (no version: every advisory of the package; no ecosystem: Ori). `commit` and `purl` queries are refused',
  });

export const OsvVulnerabilityList = z
  .object({ vulns: z.array(OsvRecord).optional(), next_page_token: z.string().optional() })
  .meta({
    id: "OsvVulnerabilityList",
    description:
      "The matching records (left out when none match, as osv.dev's protobuf JSON does), at most 1,000, then `next_page_token`",
  });

export const OsvBatchResults = z
  .object({
    results: z.array(
      z.object({
        vulns: z.array(z.object({ id: z.string(), modified: timestamp })).optional(),
        next_page_token: z.string().optional(),
      }),
    ),
  })
  .meta({
    id: "OsvBatchResults",
    description: "One result per query, in the order asked: the matching records' ids and `modified` only, as osv.dev",
  });

// --- what the registry derives from records ---

export const SeverityView = z
  .object({
    type: z.string(),
    /** The vector, as the record has it. */
    vector: z.string(),
    baseScore: z.number().nullable(),
    baseSeverity: z.enum(["NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL"]).nullable(),
  })
  .meta({
    id: "SeverityView",
    description: "A severity vector with its computed CVSS base score and rating (null when it does not score)",
  });

export const AdvisoryView = z
  .object({
    id: z.string(),
    summary: z.string().nullable(),
    aliases: z.array(z.string()),
    severity: z.array(SeverityView),
    /** The version to upgrade to from the version asked about, or null if no fix is known. */
    fixedIn: z.string().nullable(),
    modified: timestamp,
    withdrawn: timestamp.nullable(),
  })
  .meta({
    id: "AdvisoryView",
    description:
      "An advisory as it concerns one version: its severity scores and the version that fixes it (`fixedIn`, null when none is known)",
  });

export const AdvisoryHistory = z
  .object({
    id: z.string(),
    history: z.array(
      z.object({
        seq: count,
        at: timestamp,
        action: z.enum(["create", "update", "withdraw"]),
        reason: z.string().nullable(),
        record: OsvRecord,
      }),
    ),
  })
  .meta({
    id: "AdvisoryHistory",
    description:
      "Every version of an advisory, oldest first (who made each change is in the named packages' audit trails)",
  });

export const AdvisoryList = z.object({ advisories: z.array(OsvRecord), next_page_token: z.string().optional() }).meta({
  id: "AdvisoryList",
  description: "A page of advisories, newest first; `next_page_token` when there are more",
});

export const AuditProblem = z.enum(["unknown_package", "unknown_version", "checksum_mismatch"]);

export const AuditEntry = z
  .object({
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
  })
  .meta({
    id: "AuditEntry",
    description:
      "One lock entry: the advisories affecting its exact version, and whether the registry logged it with this checksum",
  });

export const AuditReport = z
  .object({
    entries: z.array(AuditEntry),
    summary: z.object({
      entries: count,
      /** Entries with at least one advisory. */
      vulnerable: count,
      /** Distinct advisories across the lock. */
      advisories: count,
      unknown: count,
      checksumMismatches: count,
    }),
  })
  .meta({ id: "AuditReport", description: "The audit of an oripk.lock, entry by entry, and its totals" });

export type OsvSeverity = z.output<typeof OsvSeverity>;
export type OsvEvent = z.output<typeof OsvEvent>;
export type OsvRange = z.output<typeof OsvRange>;
export type OsvAffected = z.output<typeof OsvAffected>;
export type OsvReference = z.output<typeof OsvReference>;
export type OsvCredit = z.output<typeof OsvCredit>;
export type OsvRecord = z.output<typeof OsvRecord>;
export type AdvisorySubmission = z.output<typeof AdvisorySubmission>;
export type OsvQueryRequest = z.output<typeof OsvQueryRequest>;
export type OsvVulnerabilityList = z.output<typeof OsvVulnerabilityList>;
export type OsvBatchResults = z.output<typeof OsvBatchResults>;
export type SeverityView = z.output<typeof SeverityView>;
export type AdvisoryView = z.output<typeof AdvisoryView>;
export type AdvisoryHistory = z.output<typeof AdvisoryHistory>;
export type AdvisoryList = z.output<typeof AdvisoryList>;
export type AuditProblem = z.output<typeof AuditProblem>;
export type AuditEntry = z.output<typeof AuditEntry>;
export type AuditReport = z.output<typeof AuditReport>;
