// The arithmetic of the status history (objects/status-history.ts keeps the rows): summaries of
// probe results over a window (uptime, nearest-rank p50/p95), hourly rollups with a latency
// histogram (so percentiles over days merge exactly, to a bucket's bound), and how one probe
// result moves an endpoint's state: a run of failures is an incident, from its first failure to
// the first success after it; the Nth failure in a row raises an alert. Pure.

export interface ProbeSample {
  at: number;
  ok: boolean;
  latencyMs: number;
}

export interface WindowSummary {
  probes: number;
  failures: number;
  /** Share of probes that succeeded, in percent (two decimals); null with no probe. */
  uptimePercent: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
}

/** Upper bounds (ms) of the latency histogram's buckets; a last bucket holds everything slower. */
export const LATENCY_BUCKETS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000] as const;

/** Nearest-rank percentile of ascending values (p in 0..1); null for none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1]!;
}

function uptime(probes: number, failures: number): number | null {
  return probes === 0 ? null : Math.round(((probes - failures) / probes) * 10000) / 100;
}

/** Uptime and latency percentiles of raw samples (latency of every probe, failed ones included). */
export function summarize(samples: readonly ProbeSample[]): WindowSummary {
  const latencies = samples.map((s) => s.latencyMs).sort((a, b) => a - b);
  const failures = samples.filter((s) => !s.ok).length;
  return {
    probes: samples.length,
    failures,
    uptimePercent: uptime(samples.length, failures),
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
  };
}

export interface HourlyRollup {
  /** Hours since the epoch. */
  hour: number;
  probes: number;
  failures: number;
  /** Counts per LATENCY_BUCKETS_MS bucket, plus one for slower. */
  buckets: number[];
}

export function bucketOf(latencyMs: number): number {
  const i = LATENCY_BUCKETS_MS.findIndex((bound) => latencyMs <= bound);
  return i < 0 ? LATENCY_BUCKETS_MS.length : i;
}

export function rollup(hour: number, samples: readonly ProbeSample[]): HourlyRollup {
  const buckets = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  for (const s of samples) buckets[bucketOf(s.latencyMs)]!++;
  return { hour, probes: samples.length, failures: samples.filter((s) => !s.ok).length, buckets };
}

/** The bound of the bucket holding the p-th latency; the slowest bucket reports null (unbounded). */
function histogramPercentile(buckets: readonly number[], p: number): number | null {
  const total = buckets.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    seen += buckets[i]!;
    if (seen >= rank) return LATENCY_BUCKETS_MS[i] ?? null;
  }
  return null;
}

/** Summary of hourly rollups: exact counts, percentiles as the bucket bound they fall under. */
export function summarizeRollups(rows: readonly HourlyRollup[]): WindowSummary {
  const probes = rows.reduce((a, r) => a + r.probes, 0);
  const failures = rows.reduce((a, r) => a + r.failures, 0);
  const merged = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  for (const r of rows) r.buckets.forEach((n, i) => (merged[i] = (merged[i] ?? 0) + n));
  return {
    probes,
    failures,
    uptimePercent: uptime(probes, failures),
    p50Ms: histogramPercentile(merged, 0.5),
    p95Ms: histogramPercentile(merged, 0.95),
  };
}

export type EndpointState = "up" | "failing" | "down" | "unknown";

/** What one probe result does to an endpoint: its failure streak, its incident, an alert. */
export interface Transition {
  consecutiveFailures: number;
  state: EndpointState;
  incident: "open" | "extend" | "close" | null;
  alert: "probe_failing" | "probe_recovered" | null;
}

/**
 * `previous`: failures in a row before this result. `alertAfter`: the streak that alerts (and
 * makes the endpoint "down"); the alert fires once, when the streak reaches it, and a recovery
 * from such a streak fires `probe_recovered`.
 */
export function transition(previous: number, ok: boolean, alertAfter: number): Transition {
  if (ok) {
    return {
      consecutiveFailures: 0,
      state: "up",
      incident: previous > 0 ? "close" : null,
      alert: previous >= alertAfter ? "probe_recovered" : null,
    };
  }
  const streak = previous + 1;
  return {
    consecutiveFailures: streak,
    state: streak >= alertAfter ? "down" : "failing",
    incident: previous === 0 ? "open" : "extend",
    alert: streak === alertAfter ? "probe_failing" : null,
  };
}
