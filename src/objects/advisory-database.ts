// AdvisoryDatabase: the one Durable Object that owns the advisory database — it hands out ids
// (`ORI-YYYY-NNNN`, a number never handed out twice), keeps one record per alias, stores every
// change in the history, and owes each named package a KV projection and an audit-trail row,
// through its outbox (advisory-outbox.ts), so a crash after a commit delays them but loses none.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import { osvTimestamp } from "../advisories/export";
import { formatAdvisoryId } from "../advisories/ids";
import { packagesOf, REGISTRY_FIELDS, type OsvRecord } from "../advisories/osv";
import { buildRecord, PLACEHOLDER_STAMP, validateRecord, type Submission } from "../advisories/validate";
import { isRegistryError, type ErrorCode } from "../domain/errors";
import { AdvisoryProjection } from "../storage/advisory-projection";
import { packageWriterName } from "../storage/keys";
import { LogObjectStore } from "../storage/log-objects";
import { AdvisoryOutbox, type AdvisoryAuditEvent, type AdvisoryEffect } from "./advisory-outbox";
import { AdvisoryTables, type HistoryEntry, type ListQuery } from "./advisory-tables";
import type { OwedEffect } from "./outbox";
import type { RpcResult } from "./rpc-result";
import { trackError } from "./error-recorder";

/**
 * Test-only faults: `failAfterAllocation` fails a create right after its number was handed out
 * (the number must stay used); `crashAfterCommit` fails right after a commit, before its effects
 * ran; `failProjection` makes every KV projection fail (KV down).
 */
export type AdvisoryFault = "failAfterAllocation" | "crashAfterCommit" | "failProjection" | null;

export type AdvisoryResult<T> = RpcResult<T, ErrorCode>;

export class AdvisoryDatabase extends DurableObject<Env> {
  private readonly tables: AdvisoryTables;
  private readonly outbox: AdvisoryOutbox;
  private fault: AdvisoryFault = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.tables = new AdvisoryTables(ctx.storage.sql);
    this.outbox = new AdvisoryOutbox(this.tables, {
      project: (pkg) => this.project(pkg),
      recordAudit: async (pkg, event) => {
        // A package nobody published has no writer, and must not get one (no storage for any
        // name an advisory names): the log knows every package that exists.
        if (!(await new LogObjectStore(env.BUCKET).hasName(pkg))) return;
        await env.PACKAGE_WRITER.getByName(packageWriterName(pkg)).recordAdvisoryChange(event);
      },
      send: (jobs) => env.JOBS.sendBatch(jobs.map((body) => ({ body }))).then(() => undefined),
      getAlarm: () => ctx.storage.getAlarm(),
      setAlarm: (at) => ctx.storage.setAlarm(at),
      now: () => Date.now(),
      log: (entry) => console.error(JSON.stringify(entry)),
    });
  }

  /** Creates a record from validated content; the registry sets id, published and modified. */
  async create(actor: string, content: Record<string, unknown>): Promise<AdvisoryResult<OsvRecord>> {
    const invalid = check(content);
    if (invalid) return invalid;
    // Armed before any commit; from here to the commit nothing awaits, so no other request interleaves.
    await this.outbox.arm();
    const taken = this.tables.aliasConflict(aliasesOf(content), null);
    if (taken) return aliasTaken(taken);
    const now = new Date();
    // Its own committed step: a create that fails after this still used the number up.
    const number = this.ctx.storage.transactionSync(() => this.tables.nextNumber(now.getUTCFullYear()));
    if (this.fault === "failAfterAllocation") throw new Error("injected fault after id allocation");
    const at = osvTimestamp(now);
    const record = buildRecord(content, {
      id: formatAdvisoryId(now.getUTCFullYear(), number),
      published: at,
      modified: at,
    });
    this.commit(record, { at, actor, action: "create", reason: null }, []);
    await this.outbox.run();
    return { ok: true, value: record };
  }

  /** Replaces a record's content; `modified` moves forward, `published` stays. */
  async replace(actor: string, id: string, submission: Submission): Promise<AdvisoryResult<OsvRecord>> {
    const invalid = check(submission.content);
    if (invalid) return invalid;
    await this.outbox.arm();
    const current = this.tables.find(id);
    if (!current) return notFound(id);
    if (current.withdrawn) return withdrawn(current);
    const echo = checkEcho(current, submission.echoed);
    if (echo) return echo;
    const taken = this.tables.aliasConflict(aliasesOf(submission.content), id);
    if (taken) return aliasTaken(taken);
    const at = later(current.modified);
    const record = buildRecord(submission.content, {
      id,
      published: current.published ?? current.modified,
      modified: at,
    });
    this.commit(record, { at, actor, action: "update", reason: null }, packagesOf(current));
    await this.outbox.run();
    return { ok: true, value: record };
  }

  /** Withdraws a record: it stays readable, marked withdrawn, and stops matching. */
  async withdraw(actor: string, id: string, reason: string): Promise<AdvisoryResult<OsvRecord>> {
    await this.outbox.arm();
    const current = this.tables.find(id);
    if (!current) return notFound(id);
    if (current.withdrawn) return withdrawn(current);
    const at = later(current.modified);
    const content = contentOf(current);
    content.database_specific = { ...(current.database_specific ?? {}), withdrawn_reason: reason };
    const record = buildRecord(content, {
      id,
      published: current.published ?? current.modified,
      modified: at,
      withdrawn: at,
    });
    this.commit(record, { at, actor, action: "withdraw", reason }, []);
    await this.outbox.run();
    return { ok: true, value: record };
  }

  /** A record by its id, or by an alias (a CVE or GHSA id finds the ORI record). */
  find(idOrAlias: string): OsvRecord | null {
    const direct = this.tables.find(idOrAlias);
    if (direct) return direct;
    const id = this.tables.findIdByAlias(idOrAlias);
    return id ? this.tables.find(id) : null;
  }

  list(query: ListQuery): OsvRecord[] {
    return this.tables.listRecords(query);
  }

  /**
   * The records (not withdrawn) naming each package, as JSON text (one call for a whole lock
   * or batch), for a caller that keeps what it read at `known` (a stamp: the revision and the
   * database's id): while the database is still there, only the `missing` packages' records; after any change, all of
   * `wanted`'s (the caller drops what it kept). The revision is read in the same step, so the
   * answer is exactly the database's state at `revision`.
   */
  forPackagesSince(
    known: string | null,
    wanted: string[],
    missing: string[],
  ): { stamp: string; reset: boolean; records: [string, string[]][] } {
    const stamp = this.tables.stamp();
    const reset = known !== stamp;
    return { stamp, reset, records: [...this.tables.forPackages(reset ? wanted : missing).entries()] };
  }

  history(id: string): HistoryEntry[] | null {
    const entries = this.tables.history(id);
    return entries.length > 0 ? entries : null;
  }

  /** Every record (withdrawn ones too) and the revision they were read at, for the export. */
  exportAll(): { revision: number; records: OsvRecord[] } {
    return { revision: this.tables.revision(), records: this.tables.all() };
  }

  revision(): number {
    return this.tables.revision();
  }

  /**
   * What a scan reads, in one synchronous step: the records (not withdrawn) naming each package,
   * as JSON text, and the revision they are current at.
   */
  scanInput(packages: string[]): { revision: number; records: [string, string[]][] } {
    return { revision: this.tables.revision(), records: [...this.tables.forPackages(packages).entries()] };
  }

  /** One change of a record (its history entry `seq`) and the record as it was before it. */
  change(id: string, seq: number): { current: OsvRecord; previous: OsvRecord | null } | null {
    const entries = this.tables.history(id);
    const at = entries.findIndex((e) => e.seq === seq);
    if (at < 0) return null;
    return { current: entries[at]!.record, previous: at > 0 ? entries[at - 1]!.record : null };
  }

  override async alarm(): Promise<void> {
    if (!(await this.outbox.run())) {
      const error = new Error("the outbox run failed; the alarm is retried");
      trackError(this.env, (p) => this.ctx.waitUntil(p), { kind: "alarm", where: "AdvisoryDatabase.alarm" }, error);
      throw error;
    }
  }

  /** Test-only fault injection (see AdvisoryFault); refused unless ALLOW_FAULT_INJECTION is set. */
  injectFault(fault: AdvisoryFault): void {
    if (this.env.ALLOW_FAULT_INJECTION !== "true") throw new Error("fault injection is for tests only");
    this.fault = fault;
  }

  pendingEffects(): OwedEffect<AdvisoryEffect>[] {
    return this.tables.list();
  }

  /**
   * One transaction: the record, its indexes, its history row, and what it owes every package it
   * names now or named before (`formerly`): a fresh projection and a row in its audit trail.
   */
  private commit(record: OsvRecord, entry: Omit<HistoryEntry, "seq" | "record">, formerly: string[]): void {
    const now = packagesOf(record);
    const packages = [...new Set([...formerly, ...now])];
    this.ctx.storage.transactionSync(() => {
      const seq = this.tables.save(record, entry);
      const effects: AdvisoryEffect[] = [];
      for (const pkg of packages) {
        const event: AdvisoryAuditEvent = {
          seq,
          advisory: record.id,
          action: `advisory-${entry.action}`,
          at: entry.at,
          actor: entry.actor,
          summary: record.summary ?? null,
          affects: now.includes(pkg),
        };
        effects.push({ kind: "project", package: pkg }, { kind: "package-audit", package: pkg, event });
      }
      effects.push({ kind: "job", job: { type: "rescan-advisory", stage: "affected", advisory: record.id, seq } });
      this.outbox.add(effects);
    });
    if (this.fault === "crashAfterCommit") throw new Error("injected fault after commit");
  }

  private async project(pkg: string): Promise<void> {
    if (this.fault === "failProjection") throw new Error("injected KV failure");
    const revision = this.tables.revision();
    const advisories = (this.tables.forPackages([pkg]).get(pkg) ?? []).map((text) => JSON.parse(text) as OsvRecord);
    await new AdvisoryProjection(this.env.METADATA).save({ name: pkg, revision, advisories });
  }
}

/** The database checks what the route checked: it is the authority, whoever calls it. */
function check(content: Record<string, unknown>): AdvisoryResult<never> | null {
  try {
    validateRecord(buildRecord(content, PLACEHOLDER_STAMP));
    return null;
  } catch (e) {
    if (isRegistryError(e)) return { ok: false, code: e.code, message: e.message };
    throw e;
  }
}

function aliasesOf(content: Record<string, unknown>): string[] {
  return Array.isArray(content.aliases) ? (content.aliases as string[]) : [];
}

function contentOf(record: OsvRecord): Record<string, unknown> {
  const content: Record<string, unknown> = { ...record };
  for (const field of [...REGISTRY_FIELDS, "schema_version"]) delete content[field];
  return content;
}

/** A replacement echoing the registry's fields must echo them as they are (GET, edit, PUT). */
function checkEcho(current: OsvRecord, echoed: Submission["echoed"]): AdvisoryResult<never> | null {
  if (echoed.id !== undefined && echoed.id !== current.id)
    return { ok: false, code: "advisory_registry_field", message: `id: this is ${current.id}; an id never changes` };
  if (echoed.published !== undefined && echoed.published !== current.published)
    return {
      ok: false,
      code: "advisory_registry_field",
      message: `published: set by the registry (${current.published})`,
    };
  if (echoed.withdrawn !== undefined)
    return {
      ok: false,
      code: "advisory_registry_field",
      message: "withdrawn: withdraw with POST /v1/advisories/{id}/withdraw",
    };
  if (echoed.modified !== undefined && echoed.modified !== current.modified) {
    return {
      ok: false,
      code: "advisory_modified",
      message: `${current.id} was modified at ${current.modified}, after the copy this replacement was made from (${String(echoed.modified).slice(0, 40)}): read it again and re-apply the change`,
    };
  }
  return null;
}

/** Now, or just after `previous`: `modified` always moves forward. */
function later(previous: string): string {
  return osvTimestamp(new Date(Math.max(Date.now(), Date.parse(previous) + 1)));
}

function notFound(id: string): AdvisoryResult<never> {
  return { ok: false, code: "advisory_not_found", message: `no advisory ${id}` };
}

function withdrawn(record: OsvRecord): AdvisoryResult<never> {
  return {
    ok: false,
    code: "advisory_withdrawn",
    message: `${record.id} was withdrawn at ${record.withdrawn}; a withdrawn advisory does not change again`,
  };
}

function aliasTaken(taken: { alias: string; id: string }): AdvisoryResult<never> {
  return {
    ok: false,
    code: "advisory_alias_taken",
    message: `${taken.alias} is already an alias of ${taken.id}: update that advisory instead (one Ori advisory per CVE or GHSA id)`,
  };
}
