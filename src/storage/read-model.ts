// The KV read projection of packages. Eventually consistent across locations (a write takes up
// to about a minute to reach every edge), no transactions: only the PackageWriter writes here,
// always from its committed state, so a lost or stale write is repaired by projecting again.
import type { VersionList, VersionRecord } from "../domain/package-records";
import { versionListDocument } from "../domain/package-records";
import { versionListKey, versionMetadataKey } from "./keys";

export class ReadModel {
  constructor(private readonly kv: KVNamespace) {}

  async findVersionList(pkg: string): Promise<VersionList | null> {
    return this.kv.get<VersionList>(versionListKey(pkg), "json");
  }

  async findVersion(pkg: string, version: string): Promise<VersionRecord | null> {
    return this.kv.get<VersionRecord>(versionMetadataKey(pkg, version), "json");
  }

  async saveVersion(record: VersionRecord): Promise<void> {
    await this.kv.put(versionMetadataKey(record.name, record.version), JSON.stringify(record));
  }

  async saveVersionList(pkg: string, records: VersionRecord[]): Promise<void> {
    await this.kv.put(versionListKey(pkg), JSON.stringify(versionListDocument(pkg, records)));
  }
}
