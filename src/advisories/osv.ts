// The OSV record (schema 1.7.5, https://ossf.github.io/osv-schema/) as this registry stores and
// serves it: its constants and helpers, used by the Worker, the CLI and (later) the advisory
// scanner. The JSON Schema in osv-schema.json is the authority; the types (wire.ts) follow it.
import type { OsvRecord, OsvSeverity } from "./wire";

/** The OSV schema version every stored record is validated against and marked with. */
export const OSV_SCHEMA_VERSION = "1.7.5";
/** The ecosystem of every package this database names (`affected[].package.ecosystem`). */
export const ORI_ECOSYSTEM = "Ori";

// The record's types are the zod shapes' (wire.ts): one definition for the Worker, the contract and the client.
export type { OsvAffected, OsvCredit, OsvEvent, OsvRange, OsvRecord, OsvReference, OsvSeverity } from "./wire";

export type SeverityType = OsvSeverity["type"];

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
