// PackageWriter: the Durable Object that serialises every write to one package — its versions,
// owners, pending transfer and audit trail. A version is committed only after the log sequencer
// has its entry in a signed checkpoint; the publish's intent is saved before the log hears of
// it, so the alarm finishes a publish a crash interrupted (rules in publish-intents.ts). What a
// commit owes the outside world (the KV projection, the search document, queue jobs) goes into
// an outbox in the same transaction and is done right after; the alarm retries whatever a crash
// or a failure left undone (rules in outbox.ts). It also keeps the pipeline's state of each
// version (processing and scan: pending → done | failed, docs/processing.md) and the package's
// dependents index: which versions of other packages pin each of its versions, written by those
// versions' outboxes.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import type { RpcResult } from "./rpc-result";
import { pendingPipeline, type ProcessingState, type ScanState, type VersionRecord } from "../domain/package-records";
import { compareVersions } from "../domain/versions";
import type { Manifest } from "../domain/manifest";
import { formatEntry } from "../log/entry";
import type { InclusionReceipt } from "../log/receipt";
import { LOG_SEQUENCER_NAME, SEARCH_INDEX_NAME, packageWriterName } from "../storage/keys";
import { ReadModel } from "../storage/read-model";
import { PackageTables, type AuditEvent, type PendingTransfer } from "./package-tables";
import { Outbox, type Effect, type OwedEffect } from "./outbox";
import { edgesOf, rowsByPackage, type Dependent, type DependentEdge } from "../domain/dependents";
import type { AdvisoryAuditEvent } from "./advisory-outbox";
import { finishIntents } from "./publish-intents";
import { ArchiveStore } from "../storage/archive-store";
import type { JobMessage } from "../jobs/messages";
import { trackError } from "./error-recorder";
import { searchDocument } from "../domain/search";

/**
 * Test-only faults: `crashBeforeAppend` fails once right after a publish saved its intent,
 * before the log hears of it; `crashAfterAppend` fails once right after the log answered,
 * before the commit; `crashAfterCommit` fails right after a commit, before any of its effects
 * ran (a crash there); `failProjection` makes every KV projection fail (KV down);
 * `slowNextProjection` holds the next projection's KV write for 300 ms after it read the state;
 * `failSearch` makes every write of the package's search document fail (SearchIndex down).
 */
export type WriterFault =
  | "crashBeforeAppend"
  | "crashAfterAppend"
  | "crashAfterCommit"
  | "failProjection"
  | "slowNextProjection"
  | "failSearch"
  | null;

export interface PublishInput {
  name: string;
  version: string;
  sha256: string;
  size: number;
  manifest: Manifest;
  readme: string | null;
  publisher: string;
}

export interface PublishOutcome {
  created: boolean;
  record: VersionRecord;
  receipt: InclusionReceipt;
}

export type WriterErrorCode =
  "version_exists" | "version_gone" | "version_not_found" | "package_not_found" | "conflict" | "not_found";

export type WriterResult<T> = RpcResult<T, WriterErrorCode>;

export type VersionChange =
  | { kind: "yank" }
  | { kind: "unyank" }
  | { kind: "deprecate"; message: string }
  | { kind: "remove"; reason: string }
  | { kind: "delete"; reason: string };

export class PackageWriter extends DurableObject<Env> {
  private readonly tables: PackageTables;
  private readonly outbox: Outbox;
  private fault: WriterFault = null;
  /** Intents a request of this instance is awaiting the log for (memory: gone with a crash). */
  private readonly working = new Set<string>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.tables = new PackageTables(ctx.storage.sql);
    this.outbox = new Outbox(this.tables, {
      project: (versions) => this.project(versions),
      send: (jobs) => env.JOBS.sendBatch(jobs.map((body) => ({ body }))).then(() => undefined),
      reindex: () => this.reindex(),
      link: (op, edges) => linkDependents(env, op, edges),
      getAlarm: () => ctx.storage.getAlarm(),
      setAlarm: (at) => ctx.storage.setAlarm(at),
      now: () => Date.now(),
      log: (entry) => console.error(JSON.stringify(entry)),
    });
  }

  /**
   * Publish one version. Idempotent for the same bytes; a different checksum for a version that
   * exists (here, or already in the log) is refused. The log sequencer is the final arbiter:
   * it never accepts two checksums for one name+version, so racing publishes cannot fork it.
   */
  async publish(input: PublishInput): Promise<WriterResult<PublishOutcome>> {
    const before = this.tables.findVersion(input.version);
    if (before) return this.sameOrConflict(before, input.sha256);

    // Armed before the intent, so no crash can leave an intent (or, later, outbox rows) without
    // an alarm to finish them.
    await this.outbox.arm();
    this.tables.saveIntent(input);
    const key = intentKey(input);
    this.working.add(key);
    let appended;
    try {
      if (this.takeFault("crashBeforeAppend")) throw new Error("injected fault before the log append");
      appended = await this.env.LOG_SEQUENCER.getByName(LOG_SEQUENCER_NAME).append(
        formatEntry(input.name, input.version, input.sha256),
      );
      if (this.takeFault("crashAfterAppend")) throw new Error("injected fault after the log append");
    } finally {
      this.working.delete(key);
    }
    if (!appended.ok) {
      this.tables.removeIntent(input.version, input.sha256);
      return { ok: false, code: "version_exists", message: appended.message };
    }
    return this.commitPublish(input, appended.value);
  }

  /** Step 4 of a publish (publish-intents.ts): commit the version and drop its intent, at once. */
  private async commitPublish(input: PublishInput, receipt: InclusionReceipt): Promise<WriterResult<PublishOutcome>> {
    // Another request (or the alarm) for the same bytes may have committed while we awaited the log.
    const raced = this.tables.findVersion(input.version);
    if (raced) {
      this.tables.removeIntent(input.version, input.sha256);
      return this.sameOrConflict(raced, input.sha256, receipt);
    }
    const now = new Date().toISOString();
    const record: VersionRecord = {
      name: input.name,
      version: input.version,
      sha256: input.sha256,
      size: input.size,
      publishedAt: now,
      publishedBy: input.publisher,
      log: { index: receipt.index, entry: receipt.entry },
      yanked: false,
      deprecated: null,
      removed: null,
      deleted: null,
      manifest: input.manifest,
      readme: input.readme,
      // Recorded with the commit, before its jobs are sent: the metadata says pending at once.
      ...pendingPipeline(now),
    };
    // Commit point: from here on the version exists; everything after is a projection.
    this.commit(() => {
      this.tables.insertVersion(record, input.publisher);
      this.tables.removeIntent(input.version, input.sha256);
    }, [
      { kind: "project", version: record.version },
      // Edges first: a scan that ran before an advisory arrived is found by that advisory's rescan.
      { kind: "dependents", op: "add", edges: edgesOf(record) },
      ...pipelineJobs(record, { process: true, scan: true }),
      { kind: "search" },
    ]);
    await this.outbox.run();
    return { ok: true, value: { created: true, record, receipt } };
  }

  /** Every version, oldest semver first. */
  listVersions(): VersionRecord[] {
    return this.tables.listVersions().sort((a, b) => compareVersions(a.version, b.version));
  }

  /** Grows with every change to the package (its audit position): orders search reindexing. */
  revision(): number {
    return this.tables.revision();
  }

  findVersion(version: string): VersionRecord | null {
    return this.tables.findVersion(version);
  }

  owners(): string[] {
    return this.tables.owners();
  }

  pendingTransfer(): PendingTransfer | null {
    return this.tables.transfer();
  }

  auditTrail(): AuditEvent[] {
    return this.tables.audit();
  }

  /** Yank, unyank, deprecate, admin remove or admin delete one version. */
  async changeVersion(actor: string, version: string, change: VersionChange): Promise<WriterResult<VersionRecord>> {
    if (!this.tables.findVersion(version)) return this.missing(version);
    await this.outbox.arm();
    // Read after the last await: nothing may change the record between this read and the save.
    const record = this.tables.findVersion(version)!;
    const at = new Date().toISOString();
    switch (change.kind) {
      case "yank":
      case "unyank":
        record.yanked = change.kind === "yank";
        break;
      case "deprecate":
        record.deprecated = change.message === "" ? null : change.message;
        break;
      case "remove":
        record.removed = { reason: change.reason, at, by: actor };
        break;
      case "delete":
        record.deleted = { reason: change.reason, at, by: actor };
        record.readme = null;
        break;
    }
    // A deleted version pins nothing any more: it leaves its dependencies' indexes.
    const unlink: Effect[] =
      change.kind === "delete" ? [{ kind: "dependents", op: "remove", edges: edgesOf(record) }] : [];
    this.commit(
      () =>
        this.tables.saveVersion(
          record,
          actor,
          change.kind,
          "message" in change ? { message: change.message } : "reason" in change ? { reason: change.reason } : {},
        ),
      [{ kind: "project", version: record.version }, { kind: "search" }, ...unlink],
    );
    await this.outbox.run();
    return { ok: true, value: record };
  }

  // --- the pipeline's state (jobs report here; docs/processing.md) ---

  /**
   * The outcome of processing these bytes. `done` is final (a redelivered job changes nothing);
   * a version deleted since, or committed with other bytes, is left alone. False if not applied.
   */
  async recordProcessing(version: string, sha256: string, outcome: Omit<ProcessingState, "at">): Promise<boolean> {
    const current = this.tables.findVersion(version);
    if (!current || current.sha256 !== sha256 || current.deleted) return false;
    if (current.processing?.status === "done") return false;
    await this.outbox.arm();
    const record = this.tables.findVersion(version)!;
    record.processing = { ...outcome, at: new Date().toISOString() };
    this.commit(() => this.tables.updateRecord(record), [{ kind: "project", version }]);
    await this.outbox.run();
    return true;
  }

  /**
   * A scan's outcome. Findings read at an older advisory revision than the ones stored are
   * ignored (scans may finish out of order); a failure keeps the last findings. `fanOut`: the
   * scan owes the version's dependents a rescan through `fanOut.seq` — if they have not been
   * asked for one through that revision yet, the `rescan-advisory` dependents page goes into the
   * outbox in the same transaction (so no crash or failed send after this can lose it), and the
   * version is marked propagated through it. `changed`: the findings differ from the ones before.
   */
  async recordScan(
    version: string,
    sha256: string,
    outcome: Pick<ScanState, "status" | "reason"> &
      Partial<Pick<ScanState, "revision" | "advisories" | "dependencyAdvisories" | "detail">>,
    fanOut: { advisory: string | null; seq: number } | null = null,
  ): Promise<{ applied: boolean; changed: boolean; hasDependents: boolean }> {
    const none = () => ({ applied: false, changed: false, hasDependents: this.hasDependents(version) });
    const plan = () => {
      const current = this.tables.findVersion(version);
      if (!current || current.sha256 !== sha256 || current.deleted) return null;
      const before = current.scan;
      const stale =
        outcome.status === "done" &&
        before?.revision != null &&
        outcome.revision != null &&
        outcome.revision < before.revision;
      const owes = fanOut !== null && (before?.propagated ?? -1) < fanOut.seq;
      return stale && !owes ? null : { record: current, stale, owes };
    };
    if (!plan()) return none();
    await this.outbox.arm();
    // Decided again after the await: another scan's outcome may have been recorded meanwhile.
    const decided = plan();
    if (!decided) return none();
    const hasDependents = this.hasDependents(version);
    const { record, stale, owes } = decided;
    const previous = record.scan;
    const at = new Date().toISOString();
    const next: ScanState = stale
      ? previous!
      : outcome.status === "done"
        ? {
            status: "done",
            at,
            reason: null,
            revision: outcome.revision ?? null,
            advisories: outcome.advisories ?? [],
            dependencyAdvisories: outcome.dependencyAdvisories ?? [],
          }
        : {
            status: outcome.status,
            at,
            reason: outcome.reason,
            detail: outcome.detail ?? null,
            revision: previous?.revision ?? null,
            advisories: previous?.advisories ?? [],
            dependencyAdvisories: previous?.dependencyAdvisories ?? [],
          };
    const changed =
      !stale &&
      JSON.stringify([previous?.advisories ?? [], previous?.dependencyAdvisories ?? []]) !==
        JSON.stringify([next.advisories, next.dependencyAdvisories]);
    const propagated = owes ? fanOut!.seq : (previous?.propagated ?? null);
    record.scan = { ...next, propagated };
    // A version nobody pins yet owes nothing: a dependent indexed later scans after that, so it
    // reads a revision at least this new (docs/processing.md).
    const page: Effect[] =
      owes && hasDependents
        ? [
            {
              kind: "job",
              job: {
                type: "rescan-advisory",
                stage: "dependents",
                advisory: fanOut!.advisory,
                seq: fanOut!.seq,
                of: { name: record.name, version },
                cursor: null,
              },
            },
          ]
        : [];
    this.commit(() => this.tables.updateRecord(record), [{ kind: "project", version }, ...page]);
    await this.outbox.run();
    return { applied: !stale, changed, hasDependents };
  }

  private hasDependents(version: string): boolean {
    return this.tables.versionsWithDependents([version]).length > 0;
  }

  // --- the dependents index (written by the dependents' outboxes and scans; idempotent) ---

  addDependents(rows: Dependent[]): void {
    this.tables.addDependents(rows);
  }

  removeDependents(rows: Dependent[]): void {
    this.tables.removeDependents(rows);
  }

  listDependents(q: { version: string | null; after: [string, string, string] | null; limit: number }): Dependent[] {
    return this.tables.listDependents(q);
  }

  versionsWithDependents(versions: string[]): string[] {
    return this.tables.versionsWithDependents(versions);
  }

  async addOwner(actor: string, username: string): Promise<WriterResult<string[]>> {
    if (!this.tables.hasVersions()) return this.noPackage();
    this.tables.addOwner(username, actor);
    return { ok: true, value: this.tables.owners() };
  }

  async removeOwner(actor: string, username: string): Promise<WriterResult<string[]>> {
    const owners = this.tables.owners();
    if (!owners.includes(username)) return { ok: false, code: "not_found", message: `${username} is not an owner` };
    if (owners.length === 1)
      return { ok: false, code: "conflict", message: `${username} is the last owner; transfer the package instead` };
    this.tables.removeOwner(username, actor);
    return { ok: true, value: this.tables.owners() };
  }

  /** The owner offers the package to `to`; nothing moves until `to` accepts. */
  async offerTransfer(actor: string, to: string): Promise<WriterResult<PendingTransfer>> {
    if (!this.tables.hasVersions()) return this.noPackage();
    if (this.tables.owners().includes(to))
      return { ok: false, code: "conflict", message: `${to} already owns this package` };
    return { ok: true, value: this.tables.offerTransfer(actor, to) };
  }

  /** The recipient accepts: they become the package's only owner. */
  async acceptTransfer(actor: string): Promise<WriterResult<string[]>> {
    const pending = this.tables.transfer();
    if (!pending || pending.to !== actor)
      return { ok: false, code: "not_found", message: "there is no transfer of this package offered to you" };
    this.tables.completeTransfer(pending);
    return { ok: true, value: this.tables.owners() };
  }

  async cancelTransfer(actor: string): Promise<WriterResult<null>> {
    if (!this.tables.transfer())
      return { ok: false, code: "not_found", message: "there is no pending transfer of this package" };
    this.tables.cancelTransfer(actor);
    return { ok: true, value: null };
  }

  /** An advisory change naming this package joins its audit trail (once, however often sent). */
  recordAdvisoryChange(event: AdvisoryAuditEvent): boolean {
    return this.tables.recordAdvisoryChange(event);
  }

  /** Finishes interrupted publishes, then runs whatever outbox effects are due. */
  override async alarm(): Promise<void> {
    try {
      await this.finishWork();
    } catch (e) {
      trackError(this.env, (p) => this.ctx.waitUntil(p), { kind: "alarm", where: "PackageWriter.alarm" }, e);
      throw e;
    }
  }

  private async finishWork(): Promise<void> {
    const finished = await finishIntents<PublishInput>({
      intents: () => this.tables.intents<PublishInput>(),
      inFlight: (intent) => this.working.has(intentKey(intent)),
      append: (intent) =>
        this.env.LOG_SEQUENCER.getByName(LOG_SEQUENCER_NAME).append(
          formatEntry(intent.name, intent.version, intent.sha256),
        ),
      commit: async (intent, receipt) => {
        await this.commitPublish(intent, receipt);
      },
      refuse: async (intent) => {
        this.tables.removeIntent(intent.version, intent.sha256);
        await ArchiveStore.of(this.env).remove(intent.sha256);
      },
      log: (entry) => console.error(JSON.stringify(entry)),
    });
    if (!finished) await this.outbox.arm(); // come back for what is still in flight or unreachable
    // A storage failure is rethrown so that the runtime retries the alarm.
    if (!(await this.outbox.run())) throw new Error("the outbox run failed; the alarm is retried");
  }

  /** Publishes started and not yet finished (for tests and the operator's eyes). */
  pendingIntents(): PublishInput[] {
    return this.tables.intents<PublishInput>();
  }

  /** Test-only fault injection (see WriterFault); refused unless ALLOW_FAULT_INJECTION is set. */
  injectFault(fault: WriterFault): void {
    if (this.env.ALLOW_FAULT_INJECTION !== "true") throw new Error("fault injection is for tests only");
    this.fault = fault;
  }

  /** Effects still owed, parked ones included (for tests and the operator's eyes). */
  pendingEffects(): OwedEffect[] {
    return this.tables.list();
  }

  /**
   * Rewrites the KV projection from the committed state (one version and the list, or all).
   * Goes through the outbox like every other KV write, so it cannot overtake a newer one.
   */
  async reproject(version?: string): Promise<void> {
    if (!this.tables.hasVersions()) return; // nothing to project, and nothing to store
    await this.outbox.arm();
    this.outbox.add([{ kind: "project", version: version ?? null }]);
    await this.outbox.run();
  }

  /** One transaction: the state change and the effects it owes. */
  private commit(change: () => void, effects: Effect[]): void {
    this.ctx.storage.transactionSync(() => {
      change();
      this.outbox.add(effects);
    });
    if (this.fault === "crashAfterCommit") throw new Error("injected fault after commit");
  }

  /** Writes these versions (null: all) and the version list to KV, from committed state. */
  private async project(named: ReadonlySet<string> | null): Promise<void> {
    if (this.fault === "failProjection") throw new Error("injected KV failure");
    const versions = this.listVersions();
    if (versions.length === 0) return;
    const target = named === null ? versions : versions.filter((v) => named.has(v.version));
    if (this.fault === "slowNextProjection") {
      this.fault = null;
      await scheduler.wait(300);
    }
    const model = new ReadModel(this.env.METADATA);
    await Promise.all([...target.map((r) => model.saveVersion(r)), model.saveVersionList(versions[0]!.name, versions)]);
  }

  /**
   * Writes the package's search document (or unlists it) straight to the SearchIndex. The
   * revision and the versions are read together, with no await between them, so the index's
   * "newest revision wins" orders these writes with any late reindex-package job.
   */
  private async reindex(): Promise<void> {
    if (this.fault === "failSearch") throw new Error("injected SearchIndex failure");
    const versions = this.listVersions();
    if (versions.length === 0) return;
    const revision = this.tables.revision();
    const doc = searchDocument(versions);
    // The object's stub, not services/search.ts: objects never import services (no import cycle).
    const index = this.env.SEARCH_INDEX.getByName(SEARCH_INDEX_NAME);
    if (doc) await index.save(doc, revision);
    else await index.remove(versions[0]!.name, revision);
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
        message: versionTakenMessage(existing),
      };
    }
    const gone = existing.removed ?? existing.deleted;
    if (gone) {
      return {
        ok: false,
        code: "version_gone",
        message: `${existing.name}@${existing.version} was ${existing.removed ? "removed" : "deleted"} by an administrator and cannot be published again: ${gone.reason}`,
      };
    }
    // Same bytes again: answer as the first publish did, and heal the projections if lost —
    // and a pipeline step that has not finished (a job parked, dead-lettered) is asked for again.
    await this.outbox.arm();
    this.outbox.add([
      { kind: "project", version: existing.version },
      { kind: "search" },
      ...pipelineJobs(existing, {
        process: existing.processing?.status !== "done",
        scan: existing.scan?.status !== "done",
      }),
    ]);
    await this.outbox.run();
    const proof = receipt ?? (await this.env.LOG_SEQUENCER.getByName(LOG_SEQUENCER_NAME).prove(existing.log.index));
    return { ok: true, value: { created: false, record: existing, receipt: proof } };
  }

  /** A one-shot fault: true (and cleared) if it is the one injected. */
  private takeFault(fault: WriterFault): boolean {
    if (this.fault !== fault) return false;
    this.fault = null;
    return true;
  }

  private missing<T>(version: string): WriterResult<T> {
    if (!this.tables.hasVersions()) return this.noPackage();
    return { ok: false, code: "version_not_found", message: `this package has no version ${version}` };
  }

  private noPackage<T>(): WriterResult<T> {
    return { ok: false, code: "package_not_found", message: "this package does not exist" };
  }
}

/** The jobs of a version's pipeline, as outbox effects. */
function pipelineJobs(record: VersionRecord, which: { process: boolean; scan: boolean }): Effect[] {
  const jobs: JobMessage[] = [];
  const { name, version, sha256 } = record;
  if (which.process) jobs.push({ type: "process-version", name, version, sha256 });
  if (which.scan) jobs.push({ type: "scan-version", name, version, cause: null, propagate: false });
  return jobs.map((job) => ({ kind: "job", job }));
}

/** Adds or removes edges in each pinned package's PackageWriter (every pinned package exists: publish checked it). */
async function linkDependents(env: Env, op: "add" | "remove", edges: DependentEdge[]): Promise<void> {
  await Promise.all(
    [...rowsByPackage(edges)].map(([pkg, rows]) => {
      const writer = env.PACKAGE_WRITER.getByName(packageWriterName(pkg));
      return op === "add" ? writer.addDependents(rows) : writer.removeDependents(rows);
    }),
  );
}

function intentKey(i: { version: string; sha256: string }): string {
  return `${i.version} ${i.sha256}`;
}

export function versionTakenMessage(existing: Pick<VersionRecord, "name" | "version" | "sha256">): string {
  return `${existing.name}@${existing.version} is already published with sha256:${existing.sha256}; a published version never changes — publish a new version instead`;
}
