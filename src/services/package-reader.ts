// Reads of package data: KV first (fast, eventually consistent), then the package's
// PackageWriter (authoritative) on a miss, so a version is readable as soon as its publish
// answered, even where KV has not caught up. A miss that the DO fills is projected again. The
// writer is asked only about names the log knows (every version is logged before it is
// committed): a read of a name nobody published touches no Durable Object of its own.
import type { Env } from "../env";
import type { VersionList, VersionRecord } from "../domain/package-records";
import type { DownloadRecord } from "../storage/read-model";
import { versionListDocument } from "../domain/package-records";
import { RegistryError } from "../domain/errors";
import { ReadModel } from "../storage/read-model";
import { findLoggedVersion } from "./package-access";
import { Packages } from "./packages";
import { TransparencyLog } from "./transparency-log";

export class PackageReader {
  private readonly model: ReadModel;

  constructor(
    private readonly env: Env,
    private readonly ctx?: { waitUntil(p: Promise<unknown>): void },
  ) {
    this.model = new ReadModel(env.METADATA);
  }

  async versionList(pkg: string): Promise<VersionList> {
    const cached = await this.model.findVersionList(pkg);
    if (cached) return cached;
    if (!(await this.log().knows(pkg))) throw new RegistryError("package_not_found", `package ${pkg} does not exist`);
    const versions = await this.packages().listVersions(pkg);
    if (versions.length === 0) throw new RegistryError("package_not_found", `package ${pkg} does not exist`);
    this.repair(pkg);
    return versionListDocument(pkg, versions);
  }

  async version(pkg: string, version: string): Promise<VersionRecord> {
    return (await this.model.findVersion(pkg, version)) ?? this.fromWriter(pkg, version);
  }

  /**
   * What a download needs of a version, through the isolate's recent copies
   * (ReadModel.recentVersion; none in private mode, which keeps nothing in the isolate): a
   * download never trusts the record alone to serve bytes (it asks R2 for them every time).
   */
  async versionToDownload(pkg: string, version: string): Promise<DownloadRecord> {
    const kept =
      this.env.PRIVATE_MODE === "true"
        ? await this.model.findVersion(pkg, version)
        : await this.model.recentVersion(pkg, version);
    return kept ?? this.fromWriter(pkg, version);
  }

  private async fromWriter(pkg: string, version: string): Promise<VersionRecord> {
    const record = await findLoggedVersion(this.env, pkg, version);
    if (!record) {
      if (!(await this.log().knows(pkg))) throw new RegistryError("package_not_found", `package ${pkg} does not exist`);
      throw new RegistryError("version_not_found", `${pkg} has no version ${version}`);
    }
    this.repair(pkg, version);
    return record;
  }

  private log() {
    return new TransparencyLog(this.env);
  }

  private packages() {
    return new Packages(this.env);
  }

  /** Heal the KV projection in the background; the answer does not wait for it. */
  private repair(pkg: string, version?: string): void {
    const work = this.packages()
      .reproject(pkg, version)
      .catch((e: unknown) => {
        console.error(
          JSON.stringify({ level: "error", msg: "kv reprojection failed", pkg, version, error: String(e) }),
        );
      });
    this.ctx?.waitUntil(work);
  }
}
