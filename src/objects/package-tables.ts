// The PackageWriter's SQLite tables: versions, owners, the pending transfer, the audit trail, the
// outbox, the publish intents and the dependents index (the versions of other packages that pin
// one of this package's versions). Every mutation writes its audit row in the same synchronous step, so the trail
// cannot miss a change that happened. The tables are created by the first write, never by a
// read: a read of a package that does not exist (anyone may ask for any name) must leave no
// storage behind — workerd, like Cloudflare, persists a Durable Object's SQLite database only
// once something is written to it (docs/storage.md says how that was checked).

import type { VersionRecord } from "../domain/package-records";
import type { Dependent } from "../domain/dependents";
import type { Effect, OutboxRows, OwedEffect } from "./outbox";

export interface AuditEvent {
  at: string;
  actor: string;
  action: string;
  version: string | null;
  details: Record<string, unknown>;
}

export interface PendingTransfer {
  from: string;
  to: string;
  offeredAt: string;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS versions (version TEXT PRIMARY KEY, sha256 TEXT NOT NULL, record TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS owners (username TEXT PRIMARY KEY, added_at TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS transfer (id INTEGER PRIMARY KEY CHECK (id = 1), from_user TEXT NOT NULL, to_user TEXT NOT NULL, offered_at TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, version TEXT, details TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, effect TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE IF NOT EXISTS intents (version TEXT NOT NULL, sha256 TEXT NOT NULL, input TEXT NOT NULL, recorded_at TEXT NOT NULL, PRIMARY KEY (version, sha256));
  CREATE TABLE IF NOT EXISTS dependents (version TEXT NOT NULL, dependent TEXT NOT NULL, dependent_version TEXT NOT NULL, kind TEXT NOT NULL, added_at TEXT NOT NULL, PRIMARY KEY (version, dependent, dependent_version));
`;

export class PackageTables implements OutboxRows {
  /** True once the tables exist (they never go away). */
  private ready = false;

  constructor(private readonly sql: SqlStorage) {}

  /** Whether anything was ever written: reads of a package that never was answer from nothing. */
  exists(): boolean {
    if (
      !this.ready &&
      this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'versions'").toArray().length > 0
    ) {
      this.ready = true;
      this.migrate();
    }
    return this.ready;
  }

  /** Creates the tables; every write calls it first. */
  private ensure(): void {
    if (this.exists()) return;
    this.sql.exec(SCHEMA);
    this.ready = true;
  }

  /** Local state from an earlier build: tables or outbox columns it lacked (a write only then). */
  private migrate(): void {
    this.sql.exec(SCHEMA);
    const columns = new Set(
      this.sql
        .exec<{ name: string }>("PRAGMA table_info(outbox)")
        .toArray()
        .map((c) => c.name),
    );
    for (const column of ["attempts", "next_attempt_at"]) {
      if (!columns.has(column)) this.sql.exec(`ALTER TABLE outbox ADD COLUMN ${column} INTEGER NOT NULL DEFAULT 0`);
    }
  }

  findVersion(version: string): VersionRecord | null {
    if (!this.exists()) return null;
    const row = this.sql
      .exec<{ record: string }>("SELECT record FROM versions WHERE version = ?", version)
      .toArray()[0];
    return row ? (JSON.parse(row.record) as VersionRecord) : null;
  }

  listVersions(): VersionRecord[] {
    if (!this.exists()) return [];
    return this.sql
      .exec<{ record: string }>("SELECT record FROM versions")
      .toArray()
      .map((r) => JSON.parse(r.record) as VersionRecord);
  }

  hasVersions(): boolean {
    if (!this.exists()) return false;
    return this.sql.exec("SELECT 1 FROM versions LIMIT 1").toArray().length > 0;
  }

  /** Inserts a new version; the first publisher of a package becomes its owner. */
  insertVersion(record: VersionRecord, publisher: string): void {
    this.ensure();
    this.sql.exec(
      "INSERT INTO versions (version, sha256, record) VALUES (?, ?, ?)",
      record.version,
      record.sha256,
      JSON.stringify(record),
    );
    if (this.owners().length === 0)
      this.sql.exec("INSERT INTO owners (username, added_at) VALUES (?, ?)", publisher, record.publishedAt);
    this.log(publisher, "publish", record.version, { sha256: record.sha256, logIndex: record.log.index });
  }

  /** Rewrites a record without an audit row: the pipeline's own state, not a change anyone made. */
  updateRecord(record: VersionRecord): void {
    this.ensure();
    this.sql.exec("UPDATE versions SET record = ? WHERE version = ?", JSON.stringify(record), record.version);
  }

  saveVersion(record: VersionRecord, actor: string, action: string, details: Record<string, unknown>): void {
    this.ensure();
    this.sql.exec("UPDATE versions SET record = ? WHERE version = ?", JSON.stringify(record), record.version);
    this.log(actor, action, record.version, details);
  }

  owners(): string[] {
    if (!this.exists()) return [];
    return this.sql
      .exec<{ username: string }>("SELECT username FROM owners ORDER BY added_at, username")
      .toArray()
      .map((r) => r.username);
  }

  addOwner(username: string, actor: string): void {
    this.ensure();
    this.sql.exec(
      "INSERT OR IGNORE INTO owners (username, added_at) VALUES (?, ?)",
      username,
      new Date().toISOString(),
    );
    this.log(actor, "owner-add", null, { username });
  }

  removeOwner(username: string, actor: string): void {
    this.ensure();
    this.sql.exec("DELETE FROM owners WHERE username = ?", username);
    this.log(actor, "owner-remove", null, { username });
  }

  transfer(): PendingTransfer | null {
    if (!this.exists()) return null;
    const row = this.sql
      .exec<{ from_user: string; to_user: string; offered_at: string }>("SELECT * FROM transfer")
      .toArray()[0];
    return row ? { from: row.from_user, to: row.to_user, offeredAt: row.offered_at } : null;
  }

  offerTransfer(from: string, to: string): PendingTransfer {
    this.ensure();
    const offer = { from, to, offeredAt: new Date().toISOString() };
    this.sql.exec(
      "INSERT OR REPLACE INTO transfer (id, from_user, to_user, offered_at) VALUES (1, ?, ?, ?)",
      from,
      to,
      offer.offeredAt,
    );
    this.log(from, "transfer-offer", null, { to });
    return offer;
  }

  completeTransfer(pending: PendingTransfer): void {
    this.ensure();
    this.sql.exec("DELETE FROM owners");
    this.sql.exec("INSERT INTO owners (username, added_at) VALUES (?, ?)", pending.to, new Date().toISOString());
    this.sql.exec("DELETE FROM transfer");
    this.log(pending.to, "transfer-accept", null, { from: pending.from });
  }

  cancelTransfer(actor: string): void {
    this.ensure();
    const pending = this.transfer();
    this.sql.exec("DELETE FROM transfer");
    this.log(actor, "transfer-cancel", null, { to: pending?.to ?? null });
  }

  // --- publish intents (see publish-intents.ts) ---

  /** Saves a publish's full input before the log hears of it (again: the same row). */
  saveIntent<I extends { version: string; sha256: string }>(input: I): void {
    this.ensure();
    this.sql.exec(
      "INSERT OR REPLACE INTO intents (version, sha256, input, recorded_at) VALUES (?, ?, ?, ?)",
      input.version,
      input.sha256,
      JSON.stringify(input),
      new Date().toISOString(),
    );
  }

  intents<I>(): I[] {
    if (!this.exists()) return [];
    return this.sql
      .exec<{ input: string }>("SELECT input FROM intents ORDER BY recorded_at")
      .toArray()
      .map((r) => JSON.parse(r.input) as I);
  }

  removeIntent(version: string, sha256: string): void {
    if (!this.exists()) return;
    this.sql.exec("DELETE FROM intents WHERE version = ? AND sha256 = ?", version, sha256);
  }

  // --- the dependents index ---

  /** Adds rows (again: nothing changes). */
  addDependents(rows: readonly Dependent[]): void {
    this.ensure();
    const at = new Date().toISOString();
    for (const r of rows)
      this.sql.exec(
        "INSERT OR IGNORE INTO dependents (version, dependent, dependent_version, kind, added_at) VALUES (?, ?, ?, ?, ?)",
        r.version,
        r.name,
        r.dependentVersion,
        r.kind,
        at,
      );
  }

  removeDependents(rows: readonly Pick<Dependent, "version" | "name" | "dependentVersion">[]): void {
    if (!this.exists()) return;
    for (const r of rows)
      this.sql.exec(
        "DELETE FROM dependents WHERE version = ? AND dependent = ? AND dependent_version = ?",
        r.version,
        r.name,
        r.dependentVersion,
      );
  }

  /**
   * A page of the index in (version, dependent, dependent version) order, after `after` (the
   * last row of the previous page); of one version only when `version` is given.
   */
  listDependents(q: { version: string | null; after: [string, string, string] | null; limit: number }): Dependent[] {
    if (!this.exists()) return [];
    const after = q.after ?? ["", "", ""];
    const rows = this.sql
      .exec<{ version: string; dependent: string; dependent_version: string; kind: string }>(
        `SELECT version, dependent, dependent_version, kind FROM dependents
         WHERE (? IS NULL OR version = ?) AND (version, dependent, dependent_version) > (?, ?, ?)
         ORDER BY version, dependent, dependent_version LIMIT ?`,
        q.version,
        q.version,
        after[0],
        after[1],
        after[2],
        q.limit,
      )
      .toArray();
    return rows.map((r) => ({
      version: r.version,
      name: r.dependent,
      dependentVersion: r.dependent_version,
      kind: r.kind === "dev" ? "dev" : "runtime",
    }));
  }

  /** Which of these versions some other version pins. */
  versionsWithDependents(versions: readonly string[]): string[] {
    if (!this.exists() || versions.length === 0) return [];
    return this.sql
      .exec<{ version: string }>(
        "SELECT DISTINCT version FROM dependents WHERE version IN (SELECT value FROM json_each(?))",
        JSON.stringify(versions),
      )
      .toArray()
      .map((r) => r.version);
  }

  // --- the outbox (see outbox.ts) ---

  add(effects: Effect[]): void {
    this.ensure();
    for (const e of effects) this.sql.exec("INSERT INTO outbox (effect) VALUES (?)", JSON.stringify(e));
  }

  /** Effects not yet done, oldest first, parked ones included. */
  list(): OwedEffect[] {
    if (!this.exists()) return [];
    return this.sql
      .exec<{ id: number; effect: string; attempts: number; next_attempt_at: number }>(
        "SELECT id, effect, attempts, next_attempt_at FROM outbox ORDER BY id",
      )
      .toArray()
      .map((r) => ({
        id: r.id,
        effect: JSON.parse(r.effect) as Effect,
        attempts: r.attempts,
        nextAttemptAt: r.next_attempt_at,
      }));
  }

  remove(ids: number[]): void {
    if (!this.exists()) return;
    if (ids.length > 0)
      this.sql.exec("DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?))", JSON.stringify(ids));
  }

  failed(id: number, attempts: number, nextAttemptAt: number): void {
    if (!this.exists()) return;
    this.sql.exec("UPDATE outbox SET attempts = ?, next_attempt_at = ? WHERE id = ?", attempts, nextAttemptAt, id);
  }

  /**
   * An advisory change that names this package, recorded once per change (the advisory
   * database's outbox delivers at least once; `seq` is its history position). False if already
   * recorded, or if the package does not exist.
   */
  recordAdvisoryChange(e: {
    seq: number;
    advisory: string;
    action: string;
    at: string;
    actor: string;
    summary: string | null;
    affects: boolean;
  }): boolean {
    // An advisory may name a package nobody published: that leaves no storage behind (see above).
    if (!this.exists()) return false;
    const seen = this.sql
      .exec("SELECT 1 FROM audit WHERE action LIKE 'advisory-%' AND json_extract(details, '$.seq') = ? LIMIT 1", e.seq)
      .toArray();
    if (seen.length > 0) return false;
    const details = { advisory: e.advisory, seq: e.seq, summary: e.summary, affects: e.affects };
    this.sql.exec(
      "INSERT INTO audit (at, actor, action, version, details) VALUES (?, ?, ?, NULL, ?)",
      e.at,
      e.actor,
      e.action,
      JSON.stringify(details),
    );
    return true;
  }

  /** The last audit row's id: it grows with every change to the package. */
  revision(): number {
    if (!this.exists()) return 0;
    return this.sql.exec<{ id: number | null }>("SELECT max(id) AS id FROM audit").one().id ?? 0;
  }

  audit(): AuditEvent[] {
    if (!this.exists()) return [];
    return this.sql
      .exec<{ at: string; actor: string; action: string; version: string | null; details: string }>(
        "SELECT at, actor, action, version, details FROM audit ORDER BY id",
      )
      .toArray()
      .map((r) => ({
        at: r.at,
        actor: r.actor,
        action: r.action,
        version: r.version,
        details: JSON.parse(r.details) as Record<string, unknown>,
      }));
  }

  private log(actor: string, action: string, version: string | null, details: Record<string, unknown>): void {
    this.sql.exec(
      "INSERT INTO audit (at, actor, action, version, details) VALUES (?, ?, ?, ?, ?)",
      new Date().toISOString(),
      actor,
      action,
      version,
      JSON.stringify(details),
    );
  }
}
