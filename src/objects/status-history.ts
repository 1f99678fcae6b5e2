// StatusHistory: the one Durable Object that keeps what the scheduled probes saw — every result
// of the last 24 hours (one per endpoint per run), hourly rollups for 7 days, each endpoint's
// failure streak, the incidents (runs of failures) of the last 7 days — and two small records
// the monitoring needs between runs: the last log checkpoint a probe verified (so the next one
// is proven consistent with it) and the queue heartbeats (sent and processed). Bounded: every
// write also deletes what fell out of its window. The arithmetic is src/monitoring/status-stats.ts.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import {
  rollup,
  summarize,
  summarizeRollups,
  transition,
  type EndpointState,
  type HourlyRollup,
  type ProbeSample,
  type WindowSummary,
} from "../monitoring/status-stats";

export const HOUR_MS = 3_600_000;
export const RAW_RETENTION_MS = 24 * HOUR_MS;
export const ROLLUP_RETENTION_HOURS = 7 * 24;
/** Incidents are kept this long after they ended, and at most MAX_INCIDENTS of them. */
export const INCIDENT_RETENTION_MS = 7 * 24 * HOUR_MS;
export const MAX_INCIDENTS = 200;
/** Heartbeats older than this are forgotten, processed or not. */
const HEARTBEAT_RETENTION_MS = HOUR_MS;
const ENDPOINT_NAME = /^[a-z0-9-]{1,40}$/;

export interface ProbeResult {
  endpoint: string;
  ok: boolean;
  /** The HTTP status, null when none came back. */
  status: number | null;
  latencyMs: number;
  /** Why it failed (already redacted), null when it did not. */
  error: string | null;
}

export interface EndpointTransition {
  endpoint: string;
  consecutiveFailures: number;
  state: EndpointState;
  alert: "probe_failing" | "probe_recovered" | null;
  error: string | null;
}

export interface EndpointStatus {
  endpoint: string;
  state: EndpointState;
  consecutiveFailures: number;
  last: { at: number; ok: boolean; status: number | null; latencyMs: number; error: string | null } | null;
  windows: { "1h": WindowSummary; "24h": WindowSummary; "7d": WindowSummary };
}

export interface Incident {
  endpoint: string;
  startedAt: number;
  endedAt: number | null;
  failures: number;
  lastError: string | null;
}

export interface StatusData {
  lastProbeAt: number | null;
  endpoints: EndpointStatus[];
  incidents: Incident[];
}

/** One endpoint's probes in one hour (`at`: the hour's start, ms). */
export interface HourlyLatency {
  endpoint: string;
  at: number;
  probes: number;
  failures: number;
  p50Ms: number | null;
}

export interface QueueState {
  lastSentAt: number | null;
  lastProcessedAt: number | null;
  /** The oldest heartbeat sent and not yet processed, null when none waits. */
  oldestWaitingSentAt: number | null;
}

interface EndpointRow {
  endpoint: string;
  consecutive_failures: number;
  last_at: number;
  last_ok: number;
  last_status: number | null;
  last_latency_ms: number;
  last_error: string | null;
  [key: string]: SqlStorageValue;
}

export class StatusHistory extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS samples (endpoint TEXT NOT NULL, at INTEGER NOT NULL, ok INTEGER NOT NULL, status INTEGER, latency_ms INTEGER NOT NULL, error TEXT, PRIMARY KEY (endpoint, at));
      CREATE TABLE IF NOT EXISTS hourly (endpoint TEXT NOT NULL, hour INTEGER NOT NULL, probes INTEGER NOT NULL, failures INTEGER NOT NULL, buckets TEXT NOT NULL, PRIMARY KEY (endpoint, hour));
      CREATE TABLE IF NOT EXISTS endpoints (endpoint TEXT PRIMARY KEY, consecutive_failures INTEGER NOT NULL, last_at INTEGER NOT NULL, last_ok INTEGER NOT NULL, last_status INTEGER, last_latency_ms INTEGER NOT NULL, last_error TEXT);
      CREATE TABLE IF NOT EXISTS incidents (id INTEGER PRIMARY KEY AUTOINCREMENT, endpoint TEXT NOT NULL, started_at INTEGER NOT NULL, ended_at INTEGER, failures INTEGER NOT NULL, last_error TEXT);
      CREATE TABLE IF NOT EXISTS witness (id INTEGER PRIMARY KEY CHECK (id = 1), verifier_key TEXT NOT NULL, note TEXT NOT NULL, size INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS heartbeats (sent_at INTEGER PRIMARY KEY, processed_at INTEGER);
    `);
  }

  /**
   * Records one probe run (results taken at `at`, ms) in one transaction: the samples, each
   * endpoint's streak and incident, the rollups of hours that are over, and the pruning.
   * Returns what changed per endpoint, with the alerts to raise (`alertAfter` failures in a row).
   */
  record(at: number, results: ProbeResult[], alertAfter: number): EndpointTransition[] {
    return this.ctx.storage.transactionSync(() => {
      const out: EndpointTransition[] = [];
      for (const r of results) {
        if (!ENDPOINT_NAME.test(r.endpoint))
          throw new Error(`not an endpoint name: ${JSON.stringify(r.endpoint.slice(0, 50))}`);
        const latency = Math.max(0, Math.round(r.latencyMs));
        const error = r.ok ? null : (r.error ?? "failed").slice(0, 1000);
        this.sql.exec(
          "INSERT OR REPLACE INTO samples (endpoint, at, ok, status, latency_ms, error) VALUES (?, ?, ?, ?, ?, ?)",
          r.endpoint,
          at,
          r.ok ? 1 : 0,
          r.status,
          latency,
          error,
        );
        const previous = this.endpointRow(r.endpoint)?.consecutive_failures ?? 0;
        const t = transition(previous, r.ok, alertAfter);
        this.sql.exec(
          "INSERT OR REPLACE INTO endpoints (endpoint, consecutive_failures, last_at, last_ok, last_status, last_latency_ms, last_error) VALUES (?, ?, ?, ?, ?, ?, ?)",
          r.endpoint,
          t.consecutiveFailures,
          at,
          r.ok ? 1 : 0,
          r.status,
          latency,
          error,
        );
        if (t.incident === "open")
          this.sql.exec(
            "INSERT INTO incidents (endpoint, started_at, ended_at, failures, last_error) VALUES (?, ?, NULL, 1, ?)",
            r.endpoint,
            at,
            error,
          );
        else if (t.incident === "extend")
          this.sql.exec(
            "UPDATE incidents SET failures = failures + 1, last_error = ? WHERE endpoint = ? AND ended_at IS NULL",
            error,
            r.endpoint,
          );
        else if (t.incident === "close")
          this.sql.exec("UPDATE incidents SET ended_at = ? WHERE endpoint = ? AND ended_at IS NULL", at, r.endpoint);
        out.push({
          endpoint: r.endpoint,
          consecutiveFailures: t.consecutiveFailures,
          state: t.state,
          alert: t.alert,
          error,
        });
      }
      this.rollUpCompleteHours(at);
      this.prune(at);
      return out;
    });
  }

  /** Every endpoint's state and windows, and the incidents, as of `now` (ms). */
  status(now: number, alertAfter: number): StatusData {
    this.ctx.storage.transactionSync(() => this.rollUpCompleteHours(now));
    const currentHour = Math.floor(now / HOUR_MS);
    const endpoints = this.sql.exec<EndpointRow>("SELECT * FROM endpoints ORDER BY endpoint").toArray();
    return {
      lastProbeAt: endpoints.reduce<number | null>(
        (max, e) => (max === null || e.last_at > max ? e.last_at : max),
        null,
      ),
      endpoints: endpoints.map((e) => {
        const samples = (since: number) => this.samples(e.endpoint, since);
        const hours = this.hourly(e.endpoint, currentHour - ROLLUP_RETENTION_HOURS);
        const thisHour = rollup(currentHour, samples(currentHour * HOUR_MS));
        return {
          endpoint: e.endpoint,
          state: e.consecutive_failures === 0 ? "up" : e.consecutive_failures >= alertAfter ? "down" : "failing",
          consecutiveFailures: e.consecutive_failures,
          last: {
            at: e.last_at,
            ok: e.last_ok === 1,
            status: e.last_status,
            latencyMs: e.last_latency_ms,
            error: e.last_error,
          },
          windows: {
            "1h": summarize(samples(now - HOUR_MS)),
            "24h": summarize(samples(now - RAW_RETENTION_MS)),
            "7d": summarizeRollups([...hours, thisHour]),
          },
        } satisfies EndpointStatus;
      }),
      incidents: this.sql
        .exec<{
          endpoint: string;
          started_at: number;
          ended_at: number | null;
          failures: number;
          last_error: string | null;
        }>("SELECT * FROM incidents ORDER BY started_at DESC, id DESC LIMIT 50")
        .toArray()
        .map((i) => ({
          endpoint: i.endpoint,
          startedAt: i.started_at,
          endedAt: i.ended_at,
          failures: i.failures,
          lastError: i.last_error,
        })),
    };
  }

  /**
   * Each endpoint's results of the last 24 hours by hour — probes, failures, median latency —
   * oldest first: the status page's chart. At most 24 points per endpoint (the raw samples kept).
   */
  hourlyLatency(now: number): HourlyLatency[] {
    const rows = this.sql
      .exec<{ endpoint: string; at: number; ok: number; latency_ms: number }>(
        "SELECT endpoint, at, ok, latency_ms FROM samples WHERE at >= ? ORDER BY endpoint, at",
        now - RAW_RETENTION_MS,
      )
      .toArray();
    const groups = new Map<string, { endpoint: string; hour: number; samples: ProbeSample[] }>();
    for (const r of rows) {
      const hour = Math.floor(r.at / HOUR_MS);
      const key = `${r.endpoint} ${hour}`;
      const group = groups.get(key) ?? groups.set(key, { endpoint: r.endpoint, hour, samples: [] }).get(key)!;
      group.samples.push({ at: r.at, ok: r.ok === 1, latencyMs: r.latency_ms });
    }
    return [...groups.values()].map((g) => {
      const summary = summarize(g.samples);
      return {
        endpoint: g.endpoint,
        at: g.hour * HOUR_MS,
        probes: summary.probes,
        failures: summary.failures,
        p50Ms: summary.p50Ms,
      };
    });
  }

  /** The last checkpoint a probe verified with this key (a new key starts a new memory). */
  lastCheckpoint(verifierKey: string): { note: string; size: number } | null {
    const row = this.sql
      .exec<{ verifier_key: string; note: string; size: number }>(
        "SELECT verifier_key, note, size FROM witness WHERE id = 1",
      )
      .toArray()[0];
    return row && row.verifier_key === verifierKey ? { note: row.note, size: row.size } : null;
  }

  /** Remembers a verified checkpoint unless a larger one of the same key is kept: it only grows. */
  saveCheckpoint(verifierKey: string, note: string, size: number): void {
    const kept = this.lastCheckpoint(verifierKey);
    if (kept && kept.size >= size) return;
    this.sql.exec(
      "INSERT OR REPLACE INTO witness (id, verifier_key, note, size) VALUES (1, ?, ?, ?)",
      verifierKey,
      note,
      size,
    );
  }

  /**
   * Reserves a heartbeat at `now` unless one was sent less than `intervalMs` ago: true means
   * the caller sends it (and calls `dropHeartbeat` if the send fails).
   */
  claimHeartbeat(now: number, intervalMs: number): boolean {
    const last = this.sql.exec<{ at: number | null }>("SELECT max(sent_at) AS at FROM heartbeats").one().at;
    if (last !== null && last > now - intervalMs) return false;
    this.sql.exec("INSERT OR IGNORE INTO heartbeats (sent_at, processed_at) VALUES (?, NULL)", now);
    this.sql.exec("DELETE FROM heartbeats WHERE sent_at < ?", now - HEARTBEAT_RETENTION_MS);
    return true;
  }

  dropHeartbeat(sentAt: number): void {
    this.sql.exec("DELETE FROM heartbeats WHERE sent_at = ? AND processed_at IS NULL", sentAt);
  }

  /** The queue consumer ran the heartbeat sent at `sentAt`. */
  heartbeatProcessed(sentAt: number, now: number): void {
    this.sql.exec("UPDATE heartbeats SET processed_at = ? WHERE sent_at = ? AND processed_at IS NULL", now, sentAt);
  }

  queueState(): QueueState {
    return this.sql
      .exec<{ last_sent: number | null; last_processed: number | null; oldest_waiting: number | null }>(
        "SELECT max(sent_at) AS last_sent, max(processed_at) AS last_processed, min(CASE WHEN processed_at IS NULL THEN sent_at END) AS oldest_waiting FROM heartbeats",
      )
      .toArray()
      .map((r) => ({
        lastSentAt: r.last_sent,
        lastProcessedAt: r.last_processed,
        oldestWaitingSentAt: r.oldest_waiting,
      }))[0]!;
  }

  private endpointRow(endpoint: string): EndpointRow | undefined {
    return this.sql.exec<EndpointRow>("SELECT * FROM endpoints WHERE endpoint = ?", endpoint).toArray()[0];
  }

  private samples(endpoint: string, since: number): ProbeSample[] {
    return this.sql
      .exec<{ at: number; ok: number; latency_ms: number }>(
        "SELECT at, ok, latency_ms FROM samples WHERE endpoint = ? AND at >= ? ORDER BY at",
        endpoint,
        since,
      )
      .toArray()
      .map((s) => ({ at: s.at, ok: s.ok === 1, latencyMs: s.latency_ms }));
  }

  private hourly(endpoint: string, sinceHour: number): HourlyRollup[] {
    return this.sql
      .exec<{ hour: number; probes: number; failures: number; buckets: string }>(
        "SELECT hour, probes, failures, buckets FROM hourly WHERE endpoint = ? AND hour >= ? ORDER BY hour",
        endpoint,
        sinceHour,
      )
      .toArray()
      .map((h) => ({
        hour: h.hour,
        probes: h.probes,
        failures: h.failures,
        buckets: JSON.parse(h.buckets) as number[],
      }));
  }

  /** Every hour before `now`'s that has samples and no rollup yet gets one (its samples are final). */
  private rollUpCompleteHours(now: number): void {
    const currentHour = Math.floor(now / HOUR_MS);
    const pending = this.sql
      .exec<{ endpoint: string; hour: number }>(
        "SELECT DISTINCT s.endpoint AS endpoint, CAST(s.at / ? AS INTEGER) AS hour FROM samples s WHERE s.at < ? AND NOT EXISTS (SELECT 1 FROM hourly h WHERE h.endpoint = s.endpoint AND h.hour = CAST(s.at / ? AS INTEGER))",
        HOUR_MS,
        currentHour * HOUR_MS,
        HOUR_MS,
      )
      .toArray();
    for (const { endpoint, hour } of pending) {
      const h = Math.floor(hour);
      const samples = this.samples(endpoint, h * HOUR_MS).filter((s) => s.at < (h + 1) * HOUR_MS);
      const r = rollup(h, samples);
      this.sql.exec(
        "INSERT OR REPLACE INTO hourly (endpoint, hour, probes, failures, buckets) VALUES (?, ?, ?, ?, ?)",
        endpoint,
        h,
        r.probes,
        r.failures,
        JSON.stringify(r.buckets),
      );
    }
  }

  private prune(now: number): void {
    this.sql.exec("DELETE FROM samples WHERE at < ?", now - RAW_RETENTION_MS);
    this.sql.exec("DELETE FROM hourly WHERE hour < ?", Math.floor(now / HOUR_MS) - ROLLUP_RETENTION_HOURS);
    this.sql.exec("DELETE FROM incidents WHERE ended_at IS NOT NULL AND ended_at < ?", now - INCIDENT_RETENTION_MS);
    this.sql.exec(
      "DELETE FROM incidents WHERE id NOT IN (SELECT id FROM incidents ORDER BY started_at DESC, id DESC LIMIT ?)",
      MAX_INCIDENTS,
    );
  }
}
