// The KV read projection of packages. Eventually consistent across locations (a write takes up
// to about a minute to reach every edge), no transactions: only the PackageWriter writes here,
// always from its committed state, so a lost or stale write is repaired by projecting again.
import type { VersionList, VersionRecord } from "../domain/package-records";
import { versionListDocument } from "../domain/package-records";
import { IsolateMemo } from "../util/isolate-memo";
import { dropCopiesHere, ISOLATE_DOCUMENT_TTL_MS } from "./edge-cache";
import { edgeMetadataKey, edgeVersionListKey, versionListKey, versionMetadataKey } from "./keys";

/**
 * DECISION (issue 13's audit figure, docs/advisories.md): the audit reads hundreds of version
 * lists at once; each isolate keeps the ones it read for 5 s, so audits of locks that share
 * packages (every CI run of a project) skip those KV reads. Only the yanked/removed flags can be
 * stale by it: a version missing from a kept list is read again (recentVersionLists' caller),
 * a logged checksum never changes, and a write from this isolate drops the kept copy.
 */
export const RECENT_LIST_TTL_MS = 5_000;
const recentLists = new IsolateMemo<VersionList>(RECENT_LIST_TTL_MS, 5_000);

/** What a download needs of a version's record (routes/packages.ts): never its README or manifest. */
export type DownloadRecord = Pick<VersionRecord, "name" | "version" | "sha256" | "size" | "removed" | "deleted">;

/**
 * DECISION (issue 17, docs/performance.md): a download reads the version's record for its
 * sha256, size and name; each isolate keeps those fields (a few hundred bytes, 10,000 at most)
 * of the ones it read for ISOLATE_DOCUMENT_TTL_MS. A stale one cannot serve a removed version:
 * the download asks R2 for the bytes' presence on every request. A write from this isolate
 * drops the kept copy.
 */
const recentRecords = new IsolateMemo<DownloadRecord>(ISOLATE_DOCUMENT_TTL_MS, 10_000);
const recordKey = (pkg: string, version: string) => `${pkg}@${version}`;

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

  /** As findVersionLists, through the isolate's copies of the last 5 s; a package without a list is not kept. */
  async recentVersionLists(pkgs: readonly string[]): Promise<Map<string, VersionList | null>> {
    const out = new Map<string, VersionList | null>(pkgs.map((p) => [p, recentLists.get(p) ?? null]));
    const read = pkgs.filter((p) => out.get(p) === null);
    if (read.length === 0) return out;
    for (const [pkg, list] of await this.findVersionLists(read)) {
      out.set(pkg, list);
      if (list) recentLists.set(pkg, list);
    }
    return out;
  }

  /** Drops this isolate's kept copy of a package's list (a fresh read follows). */
  static forgetRecent(pkg: string): void {
    recentLists.delete(pkg);
  }

  async findVersion(pkg: string, version: string): Promise<VersionRecord | null> {
    return this.kv.get<VersionRecord>(versionMetadataKey(pkg, version), "json");
  }

  /** As findVersion, through the isolate's copies of the last ISOLATE_DOCUMENT_TTL_MS (downloads only). */
  async recentVersion(pkg: string, version: string): Promise<DownloadRecord | null> {
    const kept = recentRecords.get(recordKey(pkg, version));
    if (kept) return kept;
    const epoch = recentRecords.epoch;
    const record = await this.findVersion(pkg, version);
    if (!record) return null;
    const { name, sha256, size, removed, deleted } = record;
    const slim = { name, version: record.version, sha256, size, removed, deleted };
    recentRecords.set(recordKey(pkg, version), slim, { ifEpoch: epoch });
    return slim;
  }

  /** Drops this isolate's kept copy of a version's record. */
  static forgetRecentVersion(pkg: string, version: string): void {
    recentRecords.delete(recordKey(pkg, version));
  }

  async saveVersion(record: VersionRecord): Promise<void> {
    await this.kv.put(versionMetadataKey(record.name, record.version), JSON.stringify(record));
    recentRecords.delete(recordKey(record.name, record.version));
    await dropEdgeCopies([edgeMetadataKey(record.name, record.version)]);
  }

  async saveVersionList(pkg: string, records: VersionRecord[]): Promise<void> {
    await this.kv.put(versionListKey(pkg), JSON.stringify(versionListDocument(pkg, records)));
    recentLists.delete(pkg);
    await dropEdgeCopies([edgeVersionListKey(pkg)]);
  }
}

/**
 * Every change to a version's record (a lifecycle change, a queue job's processing or scan state)
 * is projected here: the location's cached documents of it go too (storage/edge-cache.ts), where
 * the writer can reach the Cache API, and this isolate's copies (the writer's own isolate: locally
 * the Worker's too, on Cloudflare another). Best effort: the routes drop them as well, and they expire.
 */
async function dropEdgeCopies(keys: string[]): Promise<void> {
  try {
    await dropCopiesHere(typeof caches === "undefined" ? null : caches.default, keys);
  } catch {
    // no cache here: the copies expire (DOCUMENT_TTL_S)
  }
}
