// ErrorTracker: the one Durable Object that groups the registry's errors (every 5xx and
// unhandled error of routes, queue jobs, alarms and probes) by fingerprint — first and last
// seen, count, open or resolved — with the latest samples of each. A resolved group reopens
// when it happens again. Bounded: MAX_SAMPLES per group, MAX_GROUPS groups (the ones seen
// longest ago go first, resolved before open). What reaches it is already redacted
// (src/monitoring/redact.ts) by the recorder (error-recorder.ts).
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

export const MAX_SAMPLES = 20;
export const MAX_GROUPS = 1000;

export type ErrorKind = "route" | "job" | "alarm" | "probe" | "scheduled";

/** One occurrence, as the recorder builds it. */
export interface ErrorOccurrence {
  fingerprint: string;
  kind: ErrorKind;
  /** A route template (`GET /v1/search`), a job, probe or alarm name. */
  where: string;
  errorClass: string;
  code: string | null;
  frame: string | null;
  /** Redacted. */
  message: string;
  /** Redacted `at fn (file:line)` lines. */
  stack: string[];
  requestId: string | null;
  status: number | null;
  /** ms since the epoch. */
  at: number;
}

export interface ErrorGroupRecord {
  fingerprint: string;
  kind: ErrorKind;
  where: string;
  errorClass: string;
  code: string | null;
  frame: string | null;
  firstSeen: number;
  lastSeen: number;
  count: number;
  status: "open" | "resolved";
  resolvedAt: number | null;
  resolvedBy: string | null;
  lastMessage: string;
  lastRequestId: string | null;
}

export interface ErrorSampleRecord {
  at: number;
  requestId: string | null;
  status: number | null;
  message: string;
  stack: string[];
}

interface GroupRow {
  fingerprint: string;
  kind: string;
  where_: string;
  error_class: string;
  code: string | null;
  frame: string | null;
  first_seen: number;
  last_seen: number;
  count: number;
  status: string;
  resolved_at: number | null;
  resolved_by: string | null;
  last_message: string;
  last_request_id: string | null;
  [key: string]: SqlStorageValue;
}

export class ErrorTracker extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS groups (fingerprint TEXT PRIMARY KEY, kind TEXT NOT NULL, where_ TEXT NOT NULL, error_class TEXT NOT NULL, code TEXT, frame TEXT,
        first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, count INTEGER NOT NULL, status TEXT NOT NULL, resolved_at INTEGER, resolved_by TEXT, last_message TEXT NOT NULL, last_request_id TEXT);
      CREATE INDEX IF NOT EXISTS groups_by_last_seen ON groups (last_seen);
      CREATE TABLE IF NOT EXISTS samples (id INTEGER PRIMARY KEY AUTOINCREMENT, fingerprint TEXT NOT NULL, at INTEGER NOT NULL, request_id TEXT, status INTEGER, message TEXT NOT NULL, stack TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS samples_by_group ON samples (fingerprint, id);
    `);
  }

  /**
   * Counts `count` occurrences (the recorder coalesces a burst into one call) with `o` as their
   * sample. `isNew`: the first time this fingerprint was seen; `reopened`: it was resolved.
   */
  record(o: ErrorOccurrence, count = 1): { isNew: boolean; reopened: boolean; count: number } {
    const n = Math.max(1, Math.floor(count));
    return this.ctx.storage.transactionSync(() => {
      const existing = this.row(o.fingerprint);
      let reopened = false;
      if (!existing) {
        this.sql.exec(
          "INSERT INTO groups (fingerprint, kind, where_, error_class, code, frame, first_seen, last_seen, count, status, last_message, last_request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
          o.fingerprint,
          o.kind,
          o.where,
          o.errorClass,
          o.code,
          o.frame,
          o.at,
          o.at,
          n,
          o.message,
          o.requestId,
        );
        this.evictGroups();
      } else {
        reopened = existing.status === "resolved";
        this.sql.exec(
          "UPDATE groups SET last_seen = max(last_seen, ?), count = count + ?, status = 'open', resolved_at = CASE WHEN ? THEN NULL ELSE resolved_at END, resolved_by = CASE WHEN ? THEN NULL ELSE resolved_by END, last_message = ?, last_request_id = ? WHERE fingerprint = ?",
          o.at,
          n,
          reopened ? 1 : 0,
          reopened ? 1 : 0,
          o.message,
          o.requestId,
          o.fingerprint,
        );
      }
      this.sql.exec(
        "INSERT INTO samples (fingerprint, at, request_id, status, message, stack) VALUES (?, ?, ?, ?, ?, ?)",
        o.fingerprint,
        o.at,
        o.requestId,
        o.status,
        o.message,
        JSON.stringify(o.stack),
      );
      this.sql.exec(
        "DELETE FROM samples WHERE fingerprint = ? AND id NOT IN (SELECT id FROM samples WHERE fingerprint = ? ORDER BY id DESC LIMIT ?)",
        o.fingerprint,
        o.fingerprint,
        MAX_SAMPLES,
      );
      return { isNew: !existing, reopened, count: (existing?.count ?? 0) + n };
    });
  }

  /** Groups, most recently seen first. */
  list(status: "open" | "resolved" | null, limit: number): ErrorGroupRecord[] {
    const rows = status
      ? this.sql.exec<GroupRow>("SELECT * FROM groups WHERE status = ? ORDER BY last_seen DESC LIMIT ?", status, limit)
      : this.sql.exec<GroupRow>("SELECT * FROM groups ORDER BY last_seen DESC LIMIT ?", limit);
    return rows.toArray().map(group);
  }

  /** A group and its samples (newest first), or null. */
  find(fingerprint: string): { group: ErrorGroupRecord; samples: ErrorSampleRecord[] } | null {
    const row = this.row(fingerprint);
    if (!row) return null;
    const samples = this.sql
      .exec<{ at: number; request_id: string | null; status: number | null; message: string; stack: string }>(
        "SELECT at, request_id, status, message, stack FROM samples WHERE fingerprint = ? ORDER BY id DESC",
        fingerprint,
      )
      .toArray()
      .map((s) => ({
        at: s.at,
        requestId: s.request_id,
        status: s.status,
        message: s.message,
        stack: JSON.parse(s.stack) as string[],
      }));
    return { group: group(row), samples };
  }

  /** Marks a group resolved (idempotent); null if there is no such group. */
  resolve(fingerprint: string, by: string, at: number): ErrorGroupRecord | null {
    const row = this.row(fingerprint);
    if (!row) return null;
    if (row.status !== "resolved")
      this.sql.exec(
        "UPDATE groups SET status = 'resolved', resolved_at = ?, resolved_by = ? WHERE fingerprint = ?",
        at,
        by,
        fingerprint,
      );
    return group(this.row(fingerprint)!);
  }

  private row(fingerprint: string): GroupRow | undefined {
    return this.sql.exec<GroupRow>("SELECT * FROM groups WHERE fingerprint = ?", fingerprint).toArray()[0];
  }

  /** Past MAX_GROUPS, drops the groups seen longest ago (resolved ones first) with their samples. */
  private evictGroups(): void {
    const excess = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM groups").one().n - MAX_GROUPS;
    if (excess <= 0) return;
    const victims = this.sql
      .exec<{ fingerprint: string }>(
        "SELECT fingerprint FROM groups ORDER BY (status = 'open'), last_seen LIMIT ?",
        excess,
      )
      .toArray()
      .map((r) => r.fingerprint);
    for (const fp of victims) {
      this.sql.exec("DELETE FROM samples WHERE fingerprint = ?", fp);
      this.sql.exec("DELETE FROM groups WHERE fingerprint = ?", fp);
    }
  }
}

function group(r: GroupRow): ErrorGroupRecord {
  return {
    fingerprint: r.fingerprint,
    kind: r.kind as ErrorKind,
    where: r.where_,
    errorClass: r.error_class,
    code: r.code,
    frame: r.frame,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    count: r.count,
    status: r.status as "open" | "resolved",
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
    lastMessage: r.last_message,
    lastRequestId: r.last_request_id,
  };
}
