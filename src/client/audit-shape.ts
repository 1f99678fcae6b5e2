// The shape of POST /v1/audit's answer the CLI relies on. A registry that answers with something
// else is treated like any answer that does not verify: a VerificationError naming the field.
import { z } from "zod";
import type { AuditReport } from "../advisories/audit";

const severity = z.looseObject({ type: z.string(), vector: z.string(), baseScore: z.number().nullable(), baseSeverity: z.string().nullable() });
const advisory = z.looseObject({ id: z.string(), summary: z.string().nullable(), aliases: z.array(z.string()), severity: z.array(severity), fixedIn: z.string().nullable() });
const entry = z.looseObject({
  name: z.string(),
  version: z.string(),
  sha256: z.string(),
  loggedSha256: z.string().nullable(),
  problem: z.enum(["unknown_package", "unknown_version", "checksum_mismatch"]).nullable(),
  yanked: z.boolean(),
  removed: z.boolean(),
  advisories: z.array(advisory),
});
const count = z.number().int().nonnegative();

export const auditShape: z.ZodType<AuditReport> = z.looseObject({
  entries: z.array(entry),
  summary: z.looseObject({ entries: count, vulnerable: count, advisories: count, unknown: count, checksumMismatches: count }),
}) as unknown as z.ZodType<AuditReport>;
