// From a submitted JSON body to a stored OSV record: the registry's fields split off (only the
// registry sets id, published, modified and withdrawn), the record assembled in OSV's field
// order with its computed CVSS base scores, then validated for real — the official OSV schema
// (patched for Ori's id and ecosystem, schema.ts), then Ori's rules (rules.ts). A refusal is a
// RegistryError with a stable code and the JSON path of the problem in its message.
import { RegistryError } from "../domain/errors";
import { scoreSeverity } from "./cvss";
import { OSV_SCHEMA_VERSION, REGISTRY_FIELDS, type OsvRecord, type OsvSeverity } from "./osv";
import { checkOriRules } from "./rules";
import { checkSchema } from "./schema";

export type RegistryField = (typeof REGISTRY_FIELDS)[number];

/** What the registry writes into a record. */
export interface Stamp {
  id: string;
  published: string;
  modified: string;
  withdrawn?: string;
}

export interface Submission {
  /** The record's own content: everything but the registry's fields and schema_version. */
  content: Record<string, unknown>;
  /** Registry fields a replacement echoed back as it read them (checked by the database). */
  echoed: Partial<Record<RegistryField, unknown>>;
}

/** Used to validate a submission before it has an id: it matches the schema's id pattern only. */
export const PLACEHOLDER_STAMP: Stamp = {
  id: "ORI-0000-0000",
  published: "1970-01-01T00:00:00Z",
  modified: "1970-01-01T00:00:00Z",
};

/**
 * Splits a body into content and registry fields. A create may set none of them; a replacement
 * may echo them (GET, edit, PUT) and the database checks the echo against the stored record.
 */
export function splitSubmission(input: unknown, mode: "create" | "replace"): Submission {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new RegistryError("advisory_schema_invalid", "$: an advisory is a JSON object (an OSV record)");
  }
  const content: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  const echoed: Submission["echoed"] = {};
  for (const field of REGISTRY_FIELDS) {
    if (!Object.hasOwn(content, field)) continue;
    if (mode === "create") {
      throw new RegistryError(
        "advisory_registry_field",
        `${field}: set by the registry, never by the submitter (leave ${field} out; the answer carries it)`,
      );
    }
    echoed[field] = content[field];
    delete content[field];
  }
  delete content.schema_version;
  return { content, echoed };
}

/**
 * The stored record: OSV's field order, the registry's fields, `schema_version`, and each
 * severity's computed base score in `database_specific.cvss` (OSV's place for "computed CVSS
 * scores", so OSV tools see them too). Deterministic: the same input gives the same bytes.
 */
export function buildRecord(content: Record<string, unknown>, stamp: Stamp): OsvRecord {
  const {
    aliases,
    related,
    upstream,
    summary,
    details,
    severity,
    affected,
    references,
    credits,
    database_specific,
    ...unknown
  } = content;
  const record: Record<string, unknown> = {
    schema_version: OSV_SCHEMA_VERSION,
    id: stamp.id,
    modified: stamp.modified,
    published: stamp.published,
    ...(stamp.withdrawn ? { withdrawn: stamp.withdrawn } : {}),
    aliases,
    related,
    upstream,
    summary,
    details,
    severity,
    affected: Array.isArray(affected) ? affected.map((a) => withScores(a, "severity")) : affected,
    references,
    credits,
    database_specific,
    // Unknown fields stay in, for the schema to refuse by name.
    ...unknown,
  };
  const scored = withScores(record, "severity");
  for (const key of Object.keys(scored)) if (scored[key] === undefined) delete scored[key];
  return scored as unknown as OsvRecord;
}

/** Validates a built record: the OSV schema first, then Ori's rules. */
export function validateRecord(record: OsvRecord): void {
  const schema = checkSchema(record);
  if (schema) throw new RegistryError("advisory_schema_invalid", schema.message);
  const rule = checkOriRules(record);
  if (rule) throw new RegistryError(rule.code, rule.message);
}

/** Checks a submission as the route receives it; answers its content for the database. */
export function checkSubmission(input: unknown, mode: "create" | "replace"): Submission {
  const submission = splitSubmission(input, mode);
  validateRecord(buildRecord(submission.content, PLACEHOLDER_STAMP));
  return submission;
}

/** Adds `database_specific.cvss` next to a `severity` list whose vectors all score. */
function withScores<T>(holder: T, key: "severity"): T {
  if (typeof holder !== "object" || holder === null) return holder;
  const h = holder as Record<string, unknown>;
  const list = h[key];
  if (!Array.isArray(list) || list.length === 0) return holder;
  const scores = (list as OsvSeverity[]).map((s) =>
    s && typeof s === "object" ? scoreSeverity(s.type, s.score) : null,
  );
  if (!scores.every((s) => s?.ok)) return holder; // the rules refuse it, with the path
  const own = h.database_specific;
  if (own !== undefined && (typeof own !== "object" || own === null || Array.isArray(own))) return holder; // the schema refuses it
  const base = (own ?? {}) as Record<string, unknown>;
  const cvss = scores.map((s) => {
    const v = (s as Extract<typeof s, { ok: true }>).value;
    return {
      type: v.type,
      vector: v.vector,
      version: v.version,
      base_score: v.baseScore,
      base_severity: v.baseSeverity,
    };
  });
  return { ...h, database_specific: { ...base, cvss } } as T;
}
