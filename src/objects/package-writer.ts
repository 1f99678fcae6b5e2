// PackageWriter: the Durable Object that serialises every write to one package's versions.
// It commits a version only after the log sequencer has the version's entry in a signed
// checkpoint, then projects the package to KV and enqueues background work.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import type { VersionRecord } from "../domain/package-records";
import { compareVersions } from "../domain/versions";
import type { Manifest } from "../domain/manifest";
import { formatEntry } from "../log/entry";
import { LOG_SEQUENCER_NAME } from "../storage/keys";
import { ReadModel } from "../storage/read-model";
import type { InclusionReceipt } from "../log/receipt";

export interface PublishInput {
  name: string;
  version: string;
  sha256: string;
  size: number;
  manifest: Manifest;
  readme: string | null;
  publisher: string;
}

/** RPC results are plain data: typed errors do not survive the RPC boundary, codes do. */
export type WriterResult<T> = { ok: true; value: T } | { ok: false; code: "version_exists"; message: string };

export interface PublishOutcome {
  created: boolean;
  record: VersionRecord;
  receipt: InclusionReceipt;
}

export class PackageWriter extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS versions (
      version TEXT PRIMARY KEY,
      sha256 TEXT NOT NULL,
      record TEXT NOT NULL
    )`);
  }

  /**
   * Publish one version. Idempotent for the same bytes; a different checksum for a version that
   * exists (here, or already in the log) is refused. The log sequencer is the final arbiter:
   * it never accepts two checksums for one name+version, so racing publishes cannot fork it.
   */
  async publish(input: PublishInput): Promise<WriterResult<PublishOutcome>> {
    const sequencer = this.env.LOG_SEQUENCER.getByName(LOG_SEQUENCER_NAME);
    const before = this.find(input.version);
    if (before) return this.sameOrConflict(before, input.sha256);

    const appended = await sequencer.append(formatEntry(input.name, input.version, input.sha256));
    if (!appended.ok) return { ok: false, code: "version_exists", message: appended.message };

    // Another request for the same bytes may have committed while we awaited the log.
    const raced = this.find(input.version);
    if (raced) return this.sameOrConflict(raced, input.sha256, appended.value);

    const record: VersionRecord = {
      name: input.name,
      version: input.version,
      sha256: input.sha256,
      size: input.size,
      publishedAt: new Date().toISOString(),
      publishedBy: input.publisher,
      log: { index: appended.value.index, entry: appended.value.entry },
      yanked: false,
      deprecated: null,
      removed: null,
      deleted: null,
      manifest: input.manifest,
      readme: input.readme,
    };
    // Commit point: from here on the version exists; everything after is a projection.
    this.sql.exec("INSERT INTO versions (version, sha256, record) VALUES (?, ?, ?)", record.version, record.sha256, JSON.stringify(record));
    await this.project(record);
    await this.env.JOBS.send({ type: "version-published", name: record.name, version: record.version, sha256: record.sha256 });
    return { ok: true, value: { created: true, record, receipt: appended.value } };
  }

  /** Every version, oldest semver first. */
  listVersions(): VersionRecord[] {
    const rows = this.sql.exec<{ record: string }>("SELECT record FROM versions").toArray();
    return rows.map((r) => JSON.parse(r.record) as VersionRecord).sort((a, b) => compareVersions(a.version, b.version));
  }

  getVersion(version: string): VersionRecord | null {
    return this.find(version);
  }

  /** Rewrite the KV projection from the committed state (repairs a projection lost in a crash). */
  async reproject(version?: string): Promise<void> {
    const versions = this.listVersions();
    const target = version ? versions.filter((v) => v.version === version) : versions;
    const model = new ReadModel(this.env.METADATA);
    await Promise.all(target.map((r) => model.saveVersion(r)));
    if (versions.length > 0) await model.saveVersionList(versions[0]!.name, versions);
  }

  private async project(record: VersionRecord): Promise<void> {
    const model = new ReadModel(this.env.METADATA);
    await model.saveVersion(record);
    await model.saveVersionList(record.name, this.listVersions());
  }

  private async sameOrConflict(
    existing: VersionRecord,
    sha256: string,
    receipt?: InclusionReceipt,
  ): Promise<WriterResult<PublishOutcome>> {
    if (existing.sha256 !== sha256) {
      return {
        ok: false,
        code: "version_exists",
        message: `${existing.name}@${existing.version} is already published with sha256:${existing.sha256}; a published version never changes — publish a new version instead`,
      };
    }
    // Same bytes again: answer as the first publish did, and heal the projection if it was lost.
    await this.project(existing);
    const proof = receipt ?? (await this.env.LOG_SEQUENCER.getByName(LOG_SEQUENCER_NAME).prove(existing.log.index));
    return { ok: true, value: { created: false, record: existing, receipt: proof } };
  }

  private find(version: string): VersionRecord | null {
    const row = this.sql.exec<{ record: string }>("SELECT record FROM versions WHERE version = ?", version).toArray()[0];
    return row ? (JSON.parse(row.record) as VersionRecord) : null;
  }
}
