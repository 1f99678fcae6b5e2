// Deep health (GET /v1/health/deep): whether every part of the registry answers right now —
// R2 (a write then a read), KV (a read), each Durable Object class (a cheap read-only call),
// the queue (the oldest heartbeat not yet consumed), the log (size, checkpoint age, entries not
// yet signed), search (documents indexed vs packages logged), the advisory database — each with ok, its latency and a
// reason when not. A failed critical check (one every publish or read needs) makes the registry
// `down` (503); any other failure makes it `degraded` (200). The report is kept a few seconds
// per isolate, so polling it costs little; it holds no secret, and no count in private mode.
import type { Env } from "../env";
import { BUILD } from "../monitoring/build-info";
import { redact } from "../monitoring/redact";
import {
  HEALTH_CHECK_KEY,
  HEALTH_CHECK_KV_KEY,
  HEALTH_OBJECT_NAME,
  LOG_CHECKPOINT_KEY,
  ACCOUNTS_NAME,
  LOG_SEQUENCER_NAME,
  SEARCH_INDEX_NAME,
  ERROR_TRACKER_NAME,
  ADVISORY_DATABASE_NAME,
} from "../storage/keys";
import { StatusStore } from "./status-store";

export type HealthStatus = "ok" | "degraded" | "down";
export type Detail = Record<string, number | string | boolean | null>;

export interface HealthCheck {
  name: string;
  ok: boolean;
  /** A critical check failing means the registry is down, any other degraded. */
  critical: boolean;
  latencyMs: number;
  reason?: string;
  detail?: Detail;
}

export interface DeepHealthReport {
  status: HealthStatus;
  version: string;
  commit: string | null;
  builtAt: string | null;
  checkedAt: string;
  checks: HealthCheck[];
}

/** What a check found: ok (or not, with a reason, possibly less than critical) and what it measured. */
interface Finding {
  ok: boolean;
  reason?: string;
  detail?: Detail;
  /** A failure that only degrades the registry even though the check is critical (e.g. a lag). */
  degradedOnly?: boolean;
}

interface CheckSpec {
  name: string;
  critical: boolean;
  run: (env: Env, now: number, counts: boolean) => Promise<Finding | void>;
}

/** How long a report is reused per isolate. */
export const HEALTH_CACHE_MS = 5_000;
/** A check that takes longer has failed. */
export const CHECK_TIMEOUT_MS = 3_000;
/** The queue is lagging when a heartbeat waits longer than this. */
export const QUEUE_LAG_LIMIT_S = 120;
/** The log is lagging when entries wait for a signed checkpoint (or R2's copy of it) longer than this. */
export const LOG_LAG_LIMIT_S = 60;
/** Search is lagging when packages are missing from the index this long after the last publish. */
export const SEARCH_LAG_LIMIT_S = 300;
/** At most one queue heartbeat per this interval (deep health and the probes share it). */
export const HEARTBEAT_INTERVAL_MS = 60_000;

const seconds = (ms: number) => Math.max(0, Math.round(ms / 1000));

const CHECKS: CheckSpec[] = [
  {
    name: "r2",
    critical: true,
    run: async (env, now) => {
      const written = `${new Date(now).toISOString()} ${crypto.randomUUID()}`;
      await env.BUCKET.put(HEALTH_CHECK_KEY, written, { httpMetadata: { contentType: "text/plain" } });
      const read = await (await env.BUCKET.get(HEALTH_CHECK_KEY))?.text();
      // Another isolate may have written in between: any health write of the last minute reads right.
      if (read === undefined) return { ok: false, reason: "the object just written is not there" };
      if (read !== written && !(Date.parse(read.split(" ")[0]!) > now - 60_000))
        return { ok: false, reason: "the object just written reads back different bytes" };
    },
  },
  {
    name: "kv",
    critical: true,
    run: async (env) => {
      await env.METADATA.get(HEALTH_CHECK_KV_KEY);
    },
  },
  {
    name: "accounts",
    critical: true,
    run: async (env) => {
      await env.ACCOUNT_DIRECTORY.getByName(ACCOUNTS_NAME).resolve("0".repeat(64));
    },
  },
  {
    name: "package-writer",
    critical: true,
    run: async (env) => {
      await env.PACKAGE_WRITER.getByName(HEALTH_OBJECT_NAME).revision();
    },
  },
  {
    name: "scope-ownership",
    critical: true,
    run: async (env) => {
      await env.SCOPE_OWNERSHIP.getByName(HEALTH_OBJECT_NAME).listMembers();
    },
  },
  {
    name: "rate-limits",
    critical: true,
    run: async (env) => {
      await env.RATE_LIMIT_COUNTER.getByName(HEALTH_OBJECT_NAME).peek(1);
    },
  },
  { name: "log", critical: true, run: (env, now, counts) => checkLog(env, now, counts) },
  { name: "queue", critical: false, run: (env, now) => checkQueue(env, now) },
  { name: "search", critical: false, run: (env, now, counts) => checkSearch(env, now, counts) },
  {
    name: "error-tracker",
    critical: false,
    run: async (env) => {
      await env.ERROR_TRACKER.getByName(ERROR_TRACKER_NAME).list(null, 1);
    },
  },
  {
    name: "advisories",
    critical: false,
    run: async (env) => {
      await env.ADVISORY_DATABASE.getByName(ADVISORY_DATABASE_NAME).revision();
    },
  },
];

export const CHECK_NAMES = CHECKS.map((c) => c.name);

async function checkLog(env: Env, now: number, counts: boolean): Promise<Finding> {
  const [state, object] = await Promise.all([
    env.LOG_SEQUENCER.getByName(LOG_SEQUENCER_NAME).status(),
    env.BUCKET.get(LOG_CHECKPOINT_KEY),
  ]);
  const served = object ? await object.text() : null;
  const age = object ? seconds(now - object.uploaded.getTime()) : null;
  const waiting = state.sequenced - state.published;
  const detail: Detail = {
    checkpointAgeSeconds: age,
    entriesWaiting: waiting,
    ...(counts ? { treeSize: state.published } : {}),
  };
  if (waiting > 0 && (age === null || age > LOG_LAG_LIMIT_S)) {
    return {
      ok: false,
      degradedOnly: true,
      detail,
      reason: `${waiting} entries are sequenced but not in a signed checkpoint after ${age ?? "?"} s`,
    };
  }
  if (state.checkpoint !== null && served !== state.checkpoint && (age === null || age > LOG_LAG_LIMIT_S)) {
    return {
      ok: false,
      degradedOnly: true,
      detail,
      reason: "the checkpoint served from R2 is not the sequencer's latest",
    };
  }
  return { ok: true, detail };
}

async function checkQueue(env: Env, now: number): Promise<Finding> {
  const status = new StatusStore(env);
  await status.heartbeat(env, now, HEARTBEAT_INTERVAL_MS);
  const q = await status.queueState();
  const lag = q.oldestWaitingSentAt === null ? 0 : seconds(now - q.oldestWaitingSentAt);
  const detail: Detail = {
    oldestUnprocessedSeconds: lag,
    lastProcessedSecondsAgo: q.lastProcessedAt === null ? null : seconds(now - q.lastProcessedAt),
  };
  if (lag > QUEUE_LAG_LIMIT_S)
    return { ok: false, detail, reason: `a heartbeat sent ${lag} s ago has not been consumed` };
  return { ok: true, detail };
}

async function checkSearch(env: Env, now: number, counts: boolean): Promise<Finding> {
  const [stats, log, checkpoint] = await Promise.all([
    env.SEARCH_INDEX.getByName(SEARCH_INDEX_NAME).stats(),
    env.LOG_SEQUENCER.getByName(LOG_SEQUENCER_NAME).status(),
    env.BUCKET.head(LOG_CHECKPOINT_KEY),
  ]);
  const missing = Math.max(0, log.packages - stats.packages);
  const sincePublish = checkpoint ? seconds(now - checkpoint.uploaded.getTime()) : null;
  const detail: Detail = counts
    ? { documentsIndexed: stats.listed, packagesIndexed: stats.packages, packages: log.packages }
    : {};
  if (missing > 0 && sincePublish !== null && sincePublish > SEARCH_LAG_LIMIT_S) {
    return {
      ok: false,
      detail,
      reason: `${counts ? missing : "some"} logged packages are not in the search index ${sincePublish} s after the last publish`,
    };
  }
  return { ok: true, detail };
}

// --- test-only fault injection ---------------------------------------------------------

const faults = new Set<string>();

/**
 * Test-only: makes the named check fail as if its dependency had (null clears every fault),
 * and forgets the cached report. Refused unless ALLOW_FAULT_INJECTION is set; no route calls it.
 */
export function injectHealthFault(env: Env, check: string | null): void {
  if (env.ALLOW_FAULT_INJECTION !== "true") throw new Error("fault injection is for tests only");
  if (check === null) faults.clear();
  else if (!CHECK_NAMES.includes(check)) throw new Error(`no health check ${check}`);
  else faults.add(check);
  cached = null;
}

// --- running the checks ----------------------------------------------------------------

let cached: { at: number; report: DeepHealthReport } | null = null;

/** The report, reused for HEALTH_CACHE_MS per isolate (a finished report only: no promise is shared between requests). */
export async function deepHealth(env: Env, now = Date.now()): Promise<{ report: DeepHealthReport; cached: boolean }> {
  if (cached && now - cached.at < HEALTH_CACHE_MS && now >= cached.at) return { report: cached.report, cached: true };
  const counts = env.PRIVATE_MODE !== "true";
  const checks = await Promise.all(CHECKS.map((spec) => runCheck(spec, env, now, counts)));
  const report: DeepHealthReport = {
    status: overall(checks),
    version: BUILD.version,
    commit: BUILD.commit,
    builtAt: BUILD.builtAt,
    checkedAt: new Date(now).toISOString(),
    checks,
  };
  cached = { at: now, report };
  return { report, cached: false };
}

export function overall(checks: readonly HealthCheck[]): HealthStatus {
  if (checks.some((c) => !c.ok && c.critical)) return "down";
  return checks.every((c) => c.ok) ? "ok" : "degraded";
}

async function runCheck(spec: CheckSpec, env: Env, now: number, counts: boolean): Promise<HealthCheck> {
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let finding: Finding;
  try {
    if (faults.has(spec.name)) throw new Error(`injected fault: ${spec.name} is unavailable`);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
    });
    finding = (await Promise.race([spec.run(env, now, counts), timeout])) ?? { ok: true };
  } catch (e) {
    finding = { ok: false, reason: redact(e instanceof Error ? e.message : String(e), 200) };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
  const check: HealthCheck = {
    name: spec.name,
    ok: finding.ok,
    critical: spec.critical && !(finding.degradedOnly ?? false),
    latencyMs: Date.now() - started,
  };
  if (!finding.ok) check.reason = finding.reason ?? "failed";
  if (finding.detail && Object.keys(finding.detail).length > 0) check.detail = finding.detail;
  return check;
}
