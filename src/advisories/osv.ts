// The OSV record (schema 1.7.5, https://ossf.github.io/osv-schema/) as this registry stores and
// serves it: the one TypeScript shape of an advisory, used by the Worker, the CLI and (later) the
// advisory scanner. The JSON Schema in osv-schema.json is the authority; these types follow it.

/** The OSV schema version every stored record is validated against and marked with. */
export const OSV_SCHEMA_VERSION = "1.7.5";
/** The ecosystem of every package this database names (`affected[].package.ecosystem`). */
export const ORI_ECOSYSTEM = "Ori";

export type SeverityType = "CVSS_V2" | "CVSS_V3" | "CVSS_V4" | "Ubuntu";

export interface OsvSeverity {
  type: SeverityType;
  /** For CVSS types, the vector string (`CVSS:3.1/AV:N/…`). */
  score: string;
}

/** One event of a range: exactly one key is set. */
export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: "SEMVER" | "ECOSYSTEM" | "GIT";
  repo?: string;
  events: OsvEvent[];
  database_specific?: Record<string, unknown>;
}

export interface OsvAffected {
  package: { ecosystem: string; name: string; purl?: string };
  severity?: OsvSeverity[] | null;
  ranges?: OsvRange[];
  versions?: string[];
  ecosystem_specific?: Record<string, unknown>;
  database_specific?: Record<string, unknown>;
}

export interface OsvReference {
  type: string;
  url: string;
}

export interface OsvCredit {
  name: string;
  contact?: string[];
  type?: string;
}

export interface OsvRecord {
  schema_version?: string;
  id: string;
  modified: string;
  published?: string;
  withdrawn?: string;
  aliases?: string[] | null;
  related?: string[];
  upstream?: string[];
  summary?: string;
  details?: string;
  severity?: OsvSeverity[] | null;
  affected?: OsvAffected[] | null;
  references?: OsvReference[] | null;
  credits?: OsvCredit[];
  database_specific?: Record<string, unknown>;
}

/** The fields only the registry writes: a submission never sets them (see validate.ts). */
export const REGISTRY_FIELDS = ["id", "modified", "published", "withdrawn"] as const;

/** The names of the Ori packages a record names, each once, in order of appearance. */
export function packagesOf(record: Pick<OsvRecord, "affected">): string[] {
  const names: string[] = [];
  for (const a of record.affected ?? []) {
    if (a.package.ecosystem === ORI_ECOSYSTEM && !names.includes(a.package.name)) names.push(a.package.name);
  }
  return names;
}
