// One package's state as routes and services see it: its PackageWriter Durable Object, the
// single writer of the package's versions, owners, pending transfer and audit trail (strongly
// consistent: what it answers is committed). Refusals come back as RegistryErrors (unwrap).
// Ask only about packages the log knows (TransparencyLog.knows): asking creates the object's
// storage, and anyone may name any package.
import type { Env } from "../env";
import type { ProcessingState, ScanState, VersionRecord } from "../domain/package-records";
import type {
  PackageWriter,
  PublishInput,
  PublishOutcome,
  VersionChange,
  WriterResult,
} from "../objects/package-writer";
import type { AuditEvent, PendingTransfer } from "../objects/package-tables";
import type { Dependent } from "../domain/dependents";
import { unwrap } from "../objects/rpc-result";
import { packageWriterName } from "../storage/keys";

export class Packages {
  /** One stub per package for this service's lifetime (a request, a job). */
  private readonly writers = new Map<string, DurableObjectStub<PackageWriter>>();

  constructor(private readonly env: Env) {}

  private writer(pkg: string): DurableObjectStub<PackageWriter> {
    let stub = this.writers.get(pkg);
    if (!stub) this.writers.set(pkg, (stub = this.env.PACKAGE_WRITER.getByName(packageWriterName(pkg))));
    return stub;
  }

  /** The authoritative record of a version (KV may lag; see PackageReader), or null. */
  findVersion(pkg: string, version: string): Promise<VersionRecord | null> {
    return Promise.resolve(this.writer(pkg).findVersion(version));
  }

  /** Grows with every change to the package (its audit position): orders search reindexing. */
  revision(pkg: string): Promise<number> {
    return Promise.resolve(this.writer(pkg).revision());
  }

  listVersions(pkg: string): Promise<VersionRecord[]> {
    return Promise.resolve(this.writer(pkg).listVersions());
  }

  /** Appends to the log and commits; the raw result, so the publish pipeline can clean up first. */
  publish(input: PublishInput): Promise<WriterResult<PublishOutcome>> {
    return Promise.resolve(this.writer(input.name).publish(input));
  }

  async changeVersion(actor: string, pkg: string, version: string, change: VersionChange): Promise<VersionRecord> {
    return unwrap(await this.writer(pkg).changeVersion(actor, version, change));
  }

  owners(pkg: string): Promise<string[]> {
    return Promise.resolve(this.writer(pkg).owners());
  }

  async addOwner(actor: string, pkg: string, username: string): Promise<string[]> {
    return unwrap(await this.writer(pkg).addOwner(actor, username));
  }

  async removeOwner(actor: string, pkg: string, username: string): Promise<string[]> {
    return unwrap(await this.writer(pkg).removeOwner(actor, username));
  }

  pendingTransfer(pkg: string): Promise<PendingTransfer | null> {
    return Promise.resolve(this.writer(pkg).pendingTransfer());
  }

  async offerTransfer(actor: string, pkg: string, to: string): Promise<PendingTransfer> {
    return unwrap(await this.writer(pkg).offerTransfer(actor, to));
  }

  async acceptTransfer(actor: string, pkg: string): Promise<string[]> {
    return unwrap(await this.writer(pkg).acceptTransfer(actor));
  }

  async cancelTransfer(actor: string, pkg: string): Promise<void> {
    unwrap(await this.writer(pkg).cancelTransfer(actor));
  }

  auditTrail(pkg: string): Promise<AuditEvent[]> {
    return Promise.resolve(this.writer(pkg).auditTrail());
  }

  /** A processing job's outcome for these bytes (false: not applied; see PackageWriter). */
  recordProcessing(
    pkg: string,
    version: string,
    sha256: string,
    outcome: Omit<ProcessingState, "at">,
  ): Promise<boolean> {
    return Promise.resolve(this.writer(pkg).recordProcessing(version, sha256, outcome));
  }

  /** A scan's outcome (ignored when older findings than the stored ones; see PackageWriter). */
  recordScan(
    pkg: string,
    version: string,
    sha256: string,
    outcome: Pick<ScanState, "status" | "reason"> &
      Partial<Pick<ScanState, "revision" | "advisories" | "dependencyAdvisories">>,
  ): Promise<{ applied: boolean; changed: boolean; hasDependents: boolean }> {
    return Promise.resolve(this.writer(pkg).recordScan(version, sha256, outcome));
  }

  /** Rows of `pkg`'s dependents index (idempotent). */
  addDependents(pkg: string, rows: Dependent[]): Promise<void> {
    return Promise.resolve(this.writer(pkg).addDependents(rows));
  }

  /** A page of the versions that pin `pkg`'s versions (of one version, or all), in key order. */
  listDependents(
    pkg: string,
    q: { version: string | null; after: [string, string, string] | null; limit: number },
  ): Promise<Dependent[]> {
    return Promise.resolve(this.writer(pkg).listDependents(q));
  }

  versionsWithDependents(pkg: string, versions: string[]): Promise<string[]> {
    return Promise.resolve(this.writer(pkg).versionsWithDependents(versions));
  }

  /** Rewrites the package's KV projection from committed state (one version, or all). */
  reproject(pkg: string, version?: string): Promise<void> {
    return Promise.resolve(this.writer(pkg).reproject(version));
  }
}
