// The AdvisoryDatabase's SQLite tables: the records, the alias index (one record per alias), the
// packages each record names, the per-year id counters, the history of every change, and the
// outbox. A change writes its record, indexes, history row and outbox rows in one transaction.
import { aliasKey } from "../advisories/ids";
import { packagesOf, type OsvRecord } from "../advisories/osv";
import type { AdvisoryEffect } from "./advisory-outbox";
import type { OutboxRows, OwedEffect } from "./outbox";

export interface HistoryEntry {
  seq: number;
  at: string;
  actor: string;
  action: "create" | "update" | "withdraw";
  reason: string | null;
  record: OsvRecord;
}

export interface ListQuery {
  package: string | null;
  includeWithdrawn: boolean;
  limit: number;
  /** Keyset cursor: the last row of the previous page (published, id), newest first. */
  after: { published: string; id: string } | null;
}

/**
 * A timestamp as the `published` column keeps it: always with milliseconds. Records write a whole
 * second without them (osvTimestamp: "…:01Z"), and as strings "…:01Z" sorts after "…:01.500Z"
 * ('.' < 'Z'): the list's order and its cursor compare this form only.
 */
export function sortableTimestamp(ts: string): string {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(ts) ? `${ts.slice(0, -1)}.000Z` : ts;
}

export class AdvisoryTables implements OutboxRows<AdvisoryEffect> {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`
      CREATE TABLE IF NOT EXISTS advisories (id TEXT PRIMARY KEY, published TEXT NOT NULL, modified TEXT NOT NULL, withdrawn TEXT, record TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS advisories_newest ON advisories (published DESC, id DESC);
      CREATE TABLE IF NOT EXISTS aliases (alias_key TEXT PRIMARY KEY, id TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS affected (package TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (package, id));
      CREATE TABLE IF NOT EXISTS id_counters (year INTEGER PRIMARY KEY, last INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS history (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, reason TEXT, record TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS history_by_id ON history (id, seq);
      CREATE TABLE IF NOT EXISTS epoch (id INTEGER PRIMARY KEY CHECK (id = 1), value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, effect TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL DEFAULT 0);
      -- Rows written before sortableTimestamp: a whole second gets its milliseconds (writes nothing once none is left).
      UPDATE advisories SET published = substr(published, 1, 19) || '.000Z' WHERE length(published) = 20 AND published GLOB '*Z';
    `);
  }

  /** Hands out the next number of a year. Its own step: a number once handed out is never handed out again. */
  nextNumber(year: number): number {
    return this.sql
      .exec<{ last: number }>(
        "INSERT INTO id_counters (year, last) VALUES (?, 1) ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last",
        year,
      )
      .one().last;
  }

  find(id: string): OsvRecord | null {
    const row = this.sql.exec<{ record: string }>("SELECT record FROM advisories WHERE id = ?", id).toArray()[0];
    return row ? (JSON.parse(row.record) as OsvRecord) : null;
  }

  findIdByAlias(alias: string): string | null {
    return (
      this.sql.exec<{ id: string }>("SELECT id FROM aliases WHERE alias_key = ?", aliasKey(alias)).toArray()[0]?.id ??
      null
    );
  }

  /** The first of these aliases that another record already holds, with its holder. */
  aliasConflict(aliases: readonly string[], self: string | null): { alias: string; id: string } | null {
    for (const alias of aliases) {
      const holder = this.findIdByAlias(alias);
      if (holder !== null && holder !== self) return { alias, id: holder };
    }
    return null;
  }

  /** Writes a record and its indexes (replacing any earlier version of it) and its history row; answers the history seq. */
  save(record: OsvRecord, history: Omit<HistoryEntry, "seq" | "record">): number {
    this.sql.exec(
      "INSERT INTO advisories (id, published, modified, withdrawn, record) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET modified = excluded.modified, withdrawn = excluded.withdrawn, record = excluded.record",
      record.id,
      sortableTimestamp(record.published ?? record.modified),
      record.modified,
      record.withdrawn ?? null,
      JSON.stringify(record),
    );
    this.sql.exec("DELETE FROM aliases WHERE id = ?", record.id);
    for (const alias of record.aliases ?? [])
      this.sql.exec("INSERT INTO aliases (alias_key, id) VALUES (?, ?)", aliasKey(alias), record.id);
    this.sql.exec("DELETE FROM affected WHERE id = ?", record.id);
    for (const pkg of packagesOf(record))
      this.sql.exec("INSERT INTO affected (package, id) VALUES (?, ?)", pkg, record.id);
    return this.sql
      .exec<{ seq: number }>(
        "INSERT INTO history (id, at, actor, action, reason, record) VALUES (?, ?, ?, ?, ?, ?) RETURNING seq",
        record.id,
        history.at,
        history.actor,
        history.action,
        history.reason,
        JSON.stringify(record),
      )
      .one().seq;
  }

  listRecords(q: ListQuery): OsvRecord[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.package !== null) {
      where.push("id IN (SELECT id FROM affected WHERE package = ?)");
      args.push(q.package);
    }
    if (!q.includeWithdrawn) where.push("withdrawn IS NULL");
    if (q.after) {
      where.push("(published < ? OR (published = ? AND id < ?))");
      const published = sortableTimestamp(q.after.published);
      args.push(published, published, q.after.id);
    }
    const sql = `SELECT record FROM advisories ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY published DESC, id DESC LIMIT ?`;
    return this.sql
      .exec<{ record: string }>(sql, ...args, q.limit)
      .toArray()
      .map((r) => JSON.parse(r.record) as OsvRecord);
  }

  /**
   * The records naming any of these packages, withdrawn ones left out, as their JSON text (the
   * caller parses: that work stays off the one database object), by package.
   */
  forPackages(packages: readonly string[]): Map<string, string[]> {
    const out = new Map<string, string[]>(packages.map((p) => [p, []]));
    if (packages.length === 0) return out;
    const rows = this.sql
      .exec<{ package: string; record: string }>(
        "SELECT f.package AS package, a.record AS record FROM affected f JOIN advisories a ON a.id = f.id WHERE f.package IN (SELECT value FROM json_each(?)) AND a.withdrawn IS NULL ORDER BY a.id",
        JSON.stringify(packages),
      )
      .toArray();
    for (const row of rows) out.get(row.package)?.push(row.record);
    return out;
  }

  all(): OsvRecord[] {
    return this.sql
      .exec<{ record: string }>("SELECT record FROM advisories ORDER BY id")
      .toArray()
      .map((r) => JSON.parse(r.record) as OsvRecord);
  }

  history(id: string): HistoryEntry[] {
    return this.sql
      .exec<{
        seq: number;
        at: string;
        actor: string;
        action: HistoryEntry["action"];
        reason: string | null;
        record: string;
      }>("SELECT seq, at, actor, action, reason, record FROM history WHERE id = ? ORDER BY seq", id)
      .toArray()
      .map((r) => ({
        seq: r.seq,
        at: r.at,
        actor: r.actor,
        action: r.action,
        reason: r.reason,
        record: JSON.parse(r.record) as OsvRecord,
      }));
  }

  /**
   * The revision with this database's own random id (made once, with it): a reader that kept
   * records of another database (one that was wiped, a test's) can never mistake them for these.
   */
  stamp(): string {
    if (this.epoch === null) {
      // Written once (a read after that writes nothing: it must not make every read a write).
      const found = this.sql.exec<{ value: string }>("SELECT value FROM epoch WHERE id = 1").toArray()[0];
      if (!found) this.sql.exec("INSERT INTO epoch (id, value) VALUES (1, ?)", crypto.randomUUID());
      this.epoch = found?.value ?? this.sql.exec<{ value: string }>("SELECT value FROM epoch WHERE id = 1").one().value;
    }
    return `${this.epoch}:${this.revision()}`;
  }

  private epoch: string | null = null;

  /** The last history seq: grows with every change to the database. */
  revision(): number {
    return this.sql.exec<{ seq: number | null }>("SELECT max(seq) AS seq FROM history").one().seq ?? 0;
  }

  // --- the outbox (see outbox.ts) ---

  add(effects: AdvisoryEffect[]): void {
    for (const e of effects) this.sql.exec("INSERT INTO outbox (effect) VALUES (?)", JSON.stringify(e));
  }

  /** Effects not yet done, oldest first, parked ones included. */
  list(): OwedEffect<AdvisoryEffect>[] {
    return this.sql
      .exec<{ id: number; effect: string; attempts: number; next_attempt_at: number }>(
        "SELECT id, effect, attempts, next_attempt_at FROM outbox ORDER BY id",
      )
      .toArray()
      .map((r) => ({
        id: r.id,
        effect: JSON.parse(r.effect) as AdvisoryEffect,
        attempts: r.attempts,
        nextAttemptAt: r.next_attempt_at,
      }));
  }

  remove(ids: number[]): void {
    if (ids.length > 0)
      this.sql.exec("DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?))", JSON.stringify(ids));
  }

  failed(id: number, attempts: number, nextAttemptAt: number): void {
    this.sql.exec("UPDATE outbox SET attempts = ?, next_attempt_at = ? WHERE id = ?", attempts, nextAttemptAt, id);
  }
}
