// The KV projection of the advisory database per package: the records (not withdrawn) that name
// it, for the hot read paths — version metadata and version lists — so they never wait on the
// one AdvisoryDatabase object. Eventually consistent (up to ~60 s across locations), written only
// by the AdvisoryDatabase's outbox from its committed state, in commit order, so a lost or stale
// write is repaired by projecting again. A package no advisory ever named has no key: none.
import type { OsvRecord } from "../advisories/osv";
import { packageAdvisoriesKey } from "./keys";

export interface PackageAdvisories {
  name: string;
  /** The database's history position the projection was written from. */
  revision: number;
  advisories: OsvRecord[];
}

export class AdvisoryProjection {
  constructor(private readonly kv: KVNamespace) {}

  async find(pkg: string): Promise<OsvRecord[]> {
    const doc = await this.kv.get<PackageAdvisories>(packageAdvisoriesKey(pkg), "json");
    return doc?.advisories ?? [];
  }

  async save(doc: PackageAdvisories): Promise<void> {
    await this.kv.put(packageAdvisoriesKey(doc.name), JSON.stringify(doc));
  }
}
