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

  /** Many version lists in KV bulk reads (at most 100 keys a call); a package without one maps to null. */
  async findVersionLists(pkgs: readonly string[]): Promise<Map<string, VersionList | null>> {
    const chunks = Array.from({ length: Math.ceil(pkgs.length / 100) }, (_, i) => pkgs.slice(i * 100, i * 100 + 100));
    const maps = await Promise.all(chunks.map((chunk) => this.kv.get<VersionList>(chunk.map(versionListKey), "json")));
    return new Map(pkgs.map((pkg, i) => [pkg, maps[Math.floor(i / 100)]!.get(versionListKey(pkg)) ?? null]));
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
