import { describe, expect, it } from "vitest";
import {
  LATENCY_BUCKETS_MS,
  bucketOf,
  percentile,
  rollup,
  summarize,
  summarizeRollups,
  transition,
} from "./status-stats";

const sample = (latencyMs: number, ok = true, at = 0) => ({ at, ok, latencyMs });

describe("percentile (nearest rank)", () => {
  it("picks the value at rank ceil(p·n)", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.95)).toBe(95);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([], 0.5)).toBeNull();
  });
});

describe("summarize", () => {
  it("gives uptime over every probe and latency percentiles of all of them", () => {
    const s = summarize([sample(10), sample(20), sample(30, false), sample(40)]);
    expect(s).toEqual({ probes: 4, failures: 1, uptimePercent: 75, p50Ms: 20, p95Ms: 40 });
  });

  it("has no uptime and no percentiles without probes", () => {
    expect(summarize([])).toEqual({ probes: 0, failures: 0, uptimePercent: null, p50Ms: null, p95Ms: null });
  });

  it("rounds uptime to two decimals", () => {
    const s = summarize([...Array.from({ length: 2 }, () => sample(1)), sample(1, false)]);
    expect(s.uptimePercent).toBe(66.67);
  });
});

describe("hourly rollups", () => {
  it("count probes and failures and bucket latencies by their upper bound", () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(1)).toBe(0);
    expect(bucketOf(3)).toBe(2);
    expect(bucketOf(999_999)).toBe(LATENCY_BUCKETS_MS.length);
    const r = rollup(7, [sample(3), sample(3), sample(40, false)]);
    expect(r.probes).toBe(3);
    expect(r.failures).toBe(1);
    expect(r.buckets[2]).toBe(2);
    expect(r.buckets[5]).toBe(1);
  });

  it("merge into a window whose percentiles are the bounds of the buckets they fall in", () => {
    const hours = [
      rollup(
        1,
        Array.from({ length: 90 }, () => sample(4)),
      ),
      rollup(
        2,
        Array.from({ length: 10 }, () => sample(150, false)),
      ),
    ];
    expect(summarizeRollups(hours)).toEqual({ probes: 100, failures: 10, uptimePercent: 90, p50Ms: 5, p95Ms: 200 });
    expect(summarizeRollups([])).toEqual({ probes: 0, failures: 0, uptimePercent: null, p50Ms: null, p95Ms: null });
  });
});

describe("transition", () => {
  it("opens an incident at the first failure, alerts once at the Nth, closes at the first success", () => {
    const alertAfter = 3;
    let streak = 0;
    const seen = [false, false, false, false, true].map((ok) => {
      const t = transition(streak, ok, alertAfter);
      streak = t.consecutiveFailures;
      return [t.state, t.incident, t.alert];
    });
    expect(seen).toEqual([
      ["failing", "open", null],
      ["failing", "extend", null],
      ["down", "extend", "probe_failing"],
      ["down", "extend", null],
      ["up", "close", "probe_recovered"],
    ]);
  });

  it("does not call a recovery from a short streak an alert", () => {
    expect(transition(1, true, 3)).toEqual({ consecutiveFailures: 0, state: "up", incident: "close", alert: null });
    expect(transition(0, true, 3)).toEqual({ consecutiveFailures: 0, state: "up", incident: null, alert: null });
  });
});
