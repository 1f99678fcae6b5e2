// Which advisories a reader may see. In a public registry, all of them. In private mode a token
// limited to some packages must not learn about packages outside its patterns, yet must still
// learn about every advisory that affects its own: it sees a record that names at least one of
// its packages, with the `affected` entries of every other package removed (the record's
// free text is the administrator's, shown as written). A record naming none of them does not
// exist for it.
import { grantCoversPackage } from "../domain/access";
import { ORI_ECOSYSTEM, type OsvRecord } from "./osv";

/** The reader's limit: null for a reader who may see everything. */
export type PackageLimit = { packages: string[] | null } | null;

export function visibleRecord(record: OsvRecord, limit: PackageLimit): OsvRecord | null {
  if (limit === null || limit.packages === null) return record;
  const affected = (record.affected ?? []).filter(
    (a) => a.package.ecosystem === ORI_ECOSYSTEM && grantCoversPackage(limit, a.package.name),
  );
  if (affected.length === 0) return null;
  return affected.length === (record.affected ?? []).length ? record : { ...record, affected };
}

export function visibleRecords(records: readonly OsvRecord[], limit: PackageLimit): OsvRecord[] {
  return records.flatMap((r) => visibleRecord(r, limit) ?? []);
}

export function mayReadPackage(pkg: string, limit: PackageLimit): boolean {
  return limit === null || grantCoversPackage(limit, pkg);
}
