// LogSequencer: the single Durable Object that appends to the transparency log.
// It pools entries that arrive together and handles each pool in three steps, each a crash point:
//   1. sequence — assign indexes and store entries + tree hashes in SQLite (one transaction);
//   2. stage    — write the tiles those entries touch to R2 (immutable content once sequenced);
//   3. publish  — sign a checkpoint covering them, store it in SQLite, then copy it to R2.
// A crash after 1 or 2 loses nothing: the entries are sequenced and the next flush (or the
// alarm set when a batch is sequenced) stages and publishes them. Callers whose request failed retry, and
// the dedupe by `name version` returns the same index, so nothing is ever duplicated.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import type { RpcResult } from "./rpc-result";
import { parseEntry } from "../log/entry";
import type { InclusionReceipt } from "../log/receipt";
import { SqliteHashStore, type SequencerState } from "./log-hash-store";
import { LogPublisher } from "./log-publisher";
import { trackError } from "./error-recorder";

export type { InclusionReceipt } from "../log/receipt";

export type AppendResult = RpcResult<InclusionReceipt, "version_exists">;

interface Pending {
  line: string;
  key: string;
  waiters: { resolve: (r: AppendResult) => void; reject: (e: unknown) => void }[];
}

/** How long after sequencing a batch the recovery alarm fires if the batch never got published. */
const ALARM_DELAY_MS = 5_000;

/** Test-only fault injection, named after what they leave behind (as Sunlight's fakes are). `failBeforeSequencing` fires once. */
export type SequencerFault = "failBeforeSequencing" | "sequenceAndStop" | "stageAndStop";

export class LogSequencer extends DurableObject<Env> {
  private readonly store: SqliteHashStore;
  private readonly publisher: LogPublisher;
  private pool = new Map<string, Pending>();
  private flushing: Promise<void> | null = null;
  private publishWaiters: { size: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private fault: SequencerFault | null = null;
  /** Packages named by the entries below `through` (status()). */
  private packageCount: { through: number; count: number } | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new SqliteHashStore(ctx.storage);
    this.publisher = new LogPublisher(env, this.store);
    // Recover from a crash between sequencing and publishing, even if no one appends again.
    ctx.blockConcurrencyWhile(async () => {
      const { sequenced, published } = this.store.state();
      if (sequenced > published || this.store.namesMarkedThrough() < sequenced) await ctx.storage.setAlarm(Date.now());
    });
  }

  /** Append an entry (`<name> <version> sha256:<hex>\n`); answers once a signed checkpoint covers it. */
  async append(line: string): Promise<AppendResult> {
    const parsed = parseEntry(line);
    const key = `${parsed.name} ${parsed.version}`;
    const existing = this.store.findEntryByKey(key);
    if (existing) {
      if (existing.line !== line) return conflict(key, existing.line);
      await this.waitForPublished(existing.index + 1);
      return { ok: true, value: this.receipt(existing.index) };
    }
    const pooled = this.pool.get(key);
    if (pooled && pooled.line !== line) {
      // A pooled entry is not a commitment yet: if its flush fails before sequencing it, the
      // version is free again. Answer only once it is settled, so `version_exists` is final
      // (the publish path deletes the losing bytes on the strength of it).
      await new Promise<void>((settled) => pooled.waiters.push({ resolve: () => settled(), reject: () => settled() }));
      return this.append(line);
    }
    const pending = pooled ?? { line, key, waiters: [] };
    this.pool.set(key, pending);
    const result = new Promise<AppendResult>((resolve, reject) => pending.waiters.push({ resolve, reject }));
    this.kick();
    return result;
  }

  /** Inclusion proof of an entry against the latest checkpoint. */
  async prove(index: number): Promise<InclusionReceipt> {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.store.state().sequenced) {
      throw new Error(`the log has no entry ${index}`);
    }
    await this.waitForPublished(index + 1);
    return this.receipt(index);
  }

  /** The latest signed checkpoint (publishing any sequenced entries first). */
  async latest(): Promise<{ size: number; checkpoint: string }> {
    await this.waitForPublished(this.store.state().sequenced);
    const s = this.store.state();
    return { size: s.published, checkpoint: s.checkpoint ?? (await this.publisher.ensureCheckpoint()) };
  }

  /** Consistency proof between two tree sizes (base64 hashes). */
  consistency(oldSize: number, newSize: number): string[] {
    return this.store.consistencyProof(oldSize, newSize);
  }

  /**
   * The log's state without waiting for anything (deep health): sequenced and published sizes,
   * the latest checkpoint, and how many packages the log names (counted once per instance, then
   * only over the entries added since).
   */
  status(): SequencerState & { packages: number } {
    const state = this.store.state();
    if (!this.packageCount || this.packageCount.through > state.sequenced) this.packageCount = { through: 0, count: 0 };
    this.packageCount = {
      through: state.sequenced,
      count: this.packageCount.count + this.store.newPackagesFrom(this.packageCount.through),
    };
    return { ...state, packages: this.packageCount.count };
  }

  findEntry(key: string): { index: number; line: string } | null {
    return this.store.findEntryByKey(key);
  }

  /**
   * Whether the log has any entry of this package (`@acme/http`) or scope (`@acme`). Reads ask
   * R2's name markers instead (TransparencyLog.knows), so that they never queue here; they ask
   * here only while the markers do not yet cover the whole log (a log older than them).
   */
  knows(name: string): boolean {
    // Asked only while a reader found no names-complete marker: write what is missing, and it
    // (a log with nothing unmarked gets it from its next publish, so a refusal writes nothing).
    if (this.store.namesMarkedThrough() < this.store.state().sequenced)
      this.ctx.waitUntil(this.publisher.markNames({ rewriteComplete: true }).catch(() => undefined));
    return this.store.hasKeyWithPrefix(name.includes("/") ? `${name} ` : `${name}/`);
  }

  /** Recovery: publish whatever was sequenced but not published, and bring R2's checkpoint up to date. */
  override async alarm(): Promise<void> {
    this.kick();
    await this.flushing;
    await this.publisher.markNames();
    await this.publisher.syncCheckpointObject();
  }

  injectFault(fault: SequencerFault | null): void {
    if (this.env.ALLOW_FAULT_INJECTION !== "true") throw new Error("fault injection is for tests only");
    this.fault = fault;
  }

  private kick(): void {
    if (this.flushing) return;
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = null;
      // Entries pooled during the last step of a loop start the next one.
      if (this.pool.size > 0) this.kick();
    });
  }

  private async flushLoop(): Promise<void> {
    // Let requests that arrived together join the same pool before it is sequenced.
    await scheduler.wait(0);
    while (this.pool.size > 0 || this.store.state().sequenced > this.store.state().published) {
      const batch = [...this.pool.values()];
      this.pool = new Map();
      try {
        if (this.fault === "failBeforeSequencing") {
          this.fault = null;
          throw new Error("injected fault before sequencing");
        }
        const indexes = this.store.sequence(batch.map((p) => p.line)); // step 1: durable
        // If this object dies before step 3, the alarm brings it back to finish the batch.
        await this.ctx.storage.setAlarm(Date.now() + ALARM_DELAY_MS);
        if (this.fault === "sequenceAndStop") throw new Error("injected fault after sequencing");
        await this.publisher.stageTiles(); // step 2
        if (this.fault === "stageAndStop") throw new Error("injected fault after staging tiles");
        await this.publisher.publishCheckpoint(); // step 3
        batch.forEach((p, i) => {
          const receipt = this.receipt(indexes[i]!);
          for (const w of p.waiters) w.resolve({ ok: true, value: receipt });
        });
        this.settlePublishWaiters();
        if (this.pool.size === 0) await this.ctx.storage.deleteAlarm(); // nothing left to recover
      } catch (e) {
        console.error(
          JSON.stringify({ level: "error", msg: "log flush failed", error: String(e), entries: batch.length }),
        );
        trackError(this.env, (p) => this.ctx.waitUntil(p), { kind: "alarm", where: "LogSequencer.flush" }, e);
        for (const p of batch) for (const w of p.waiters) w.reject(e);
        for (const w of this.publishWaiters.splice(0)) w.reject(e);
        return;
      }
    }
  }

  private waitForPublished(size: number): Promise<void> {
    if (this.store.state().published >= size) return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => this.publishWaiters.push({ size, resolve, reject }));
    this.kick();
    return done;
  }

  private settlePublishWaiters(): void {
    const published = this.store.state().published;
    this.publishWaiters = this.publishWaiters.filter((w) => {
      if (w.size > published) return true;
      w.resolve();
      return false;
    });
  }

  private receipt(index: number): InclusionReceipt {
    const s = this.store.state();
    return {
      index,
      entry: this.store.entryAt(index),
      treeSize: s.published,
      checkpoint: s.checkpoint!,
      proof: this.store.inclusionProof(index, s.published),
    };
  }
}

function conflict(key: string, loggedLine: string): AppendResult {
  const sha = loggedLine.trim().split(" ")[2];
  return {
    ok: false,
    code: "version_exists",
    message: `${key.replace(" ", "@")} is already recorded in the transparency log with ${sha}; only those exact bytes can be published as that version`,
  };
}
