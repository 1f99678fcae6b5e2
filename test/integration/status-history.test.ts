// The StatusHistory Durable Object on a simulated clock: raw results for 24 hours, hourly
// rollups for 7 days (exact counts, latency percentiles to a bucket's bound), incidents as runs
// of failures, and everything older pruned.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { HOUR_MS, MAX_INCIDENTS, type ProbeResult, type StatusHistory } from "../../src/objects/status-history";

const MINUTE = 60_000;
/** A fixed hour boundary, so the test's hours are whole. */
const T0 = Math.floor(Date.UTC(2026, 10, 1) / HOUR_MS) * HOUR_MS;
let n = 0;
/** Each test its own object: a clean history. */
const fresh = () => env.STATUS_HISTORY.getByName(`test-${++n}`);
const result = (endpoint: string, ok: boolean, latencyMs: number): ProbeResult => ({
  endpoint,
  ok,
  status: ok ? 200 : 500,
  latencyMs,
  error: ok ? null : "HTTP 500",
});

describe("StatusHistory", () => {
  it("summarizes 1 h and 24 h from raw results and 7 days from hourly rollups, pruning raw results after 24 h", async () => {
    const h = fresh();
    // 26 hours of one probe a minute: 10 ms, except one failing 300 ms probe at each hour's start.
    for (let m = 0; m < 26 * 60; m++) {
      const failing = m % 60 === 0;
      await h.record(T0 + m * MINUTE, [result("versions", !failing, failing ? 300 : 10)], 3);
    }
    const last = T0 + (26 * 60 - 1) * MINUTE;
    const now = T0 + 26 * 60 * MINUTE - 1;
    const s = await h.status(now, 3);
    const w = s.endpoints[0]!.windows;
    expect(w["1h"]).toEqual({ probes: 60, failures: 1, uptimePercent: 98.33, p50Ms: 10, p95Ms: 10 });
    // The raw results of the last 24 hours only (the first two hours are gone).
    expect(w["24h"].probes).toBe(24 * 60);
    expect(w["24h"].failures).toBe(24);
    // Seven days: every hour rolled up (the current one from its raw results), none lost.
    expect(w["7d"]).toEqual({ probes: 26 * 60, failures: 26, uptimePercent: 98.33, p50Ms: 10, p95Ms: 10 });
    const { raw, hours } = await runInDurableObject(h, (obj: StatusHistory, state) => {
      void obj;
      return {
        raw: state.storage.sql
          .exec<{ n: number; first: number }>("SELECT count(*) AS n, min(at) AS first FROM samples")
          .one(),
        hours: state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM hourly").one().n,
      };
    });
    expect(raw.first).toBeGreaterThanOrEqual(last - 24 * HOUR_MS);
    expect(raw.n).toBe(24 * 60 + 1);
    expect(hours).toBe(25); // every complete hour; the 26th is still raw
  });

  it("keeps hourly rollups 7 days, then drops them", async () => {
    const h = fresh();
    await h.record(T0, [result("search", true, 4)], 3);
    await h.record(T0 + 7 * 24 * HOUR_MS - HOUR_MS, [result("search", true, 4)], 3);
    let s = await h.status(T0 + 7 * 24 * HOUR_MS - 1, 3);
    expect(s.endpoints[0]!.windows["7d"].probes).toBe(2);
    await h.record(T0 + 7 * 24 * HOUR_MS + 2 * HOUR_MS, [result("search", true, 4)], 3);
    s = await h.status(T0 + 7 * 24 * HOUR_MS + 2 * HOUR_MS, 3);
    expect(s.endpoints[0]!.windows["7d"].probes).toBe(2);
    const hours = await runInDurableObject(
      h,
      (obj: StatusHistory, state) => (
        void obj,
        state.storage.sql
          .exec<{ hour: number }>("SELECT hour FROM hourly ORDER BY hour")
          .toArray()
          .map((r) => r.hour)
      ),
    );
    expect(hours).toEqual([T0 / HOUR_MS + 7 * 24 - 1]);
  });

  it("makes each run of failures one incident, from its first failure to the first success after it", async () => {
    const h = fresh();
    const at = (m: number) => T0 + m * MINUTE;
    const outcomes = [true, false, false, true, false, true];
    const alerts = [];
    for (const [m, ok] of outcomes.entries())
      alerts.push(
        ...(await h.record(at(m), [result("download", ok, 5), result("metadata", true, 5)], 2)).map((t) => t.alert),
      );
    expect(alerts.filter((a) => a !== null)).toEqual(["probe_failing", "probe_recovered"]);
    const s = await h.status(at(6), 2);
    expect(s.incidents).toEqual([
      { endpoint: "download", startedAt: at(4), endedAt: at(5), failures: 1, lastError: "HTTP 500" },
      { endpoint: "download", startedAt: at(1), endedAt: at(3), failures: 2, lastError: "HTTP 500" },
    ]);
    expect(s.endpoints.map((e) => [e.endpoint, e.state])).toEqual([
      ["download", "up"],
      ["metadata", "up"],
    ]);
  });

  it("forgets incidents a week after they ended, and keeps at most MAX_INCIDENTS", async () => {
    const h = fresh();
    for (let i = 0; i < MAX_INCIDENTS + 10; i++) {
      await h.record(T0 + 2 * i * MINUTE, [result("search", false, 1)], 3);
      await h.record(T0 + (2 * i + 1) * MINUTE, [result("search", true, 1)], 3);
    }
    const count = () =>
      runInDurableObject(
        h,
        (obj: StatusHistory, state) => (
          void obj,
          state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM incidents").one().n
        ),
      );
    expect(await count()).toBe(MAX_INCIDENTS);
    await h.record(T0 + 8 * 24 * HOUR_MS, [result("search", true, 1)], 3);
    expect(await count()).toBe(0);
  });

  it("refuses an endpoint name that is not one", async () => {
    const refused = await Promise.resolve(fresh().record(T0, [result("../etc", true, 1)], 3)).then(
      () => null,
      (e: unknown) => String(e),
    );
    expect(refused).toMatch(/not an endpoint name/);
  });

  it("sends at most one queue heartbeat per interval and measures the oldest unconsumed one", async () => {
    const h = fresh();
    expect(await h.claimHeartbeat(T0, MINUTE)).toBe(true);
    expect(await h.claimHeartbeat(T0 + 30_000, MINUTE)).toBe(false);
    expect(await h.claimHeartbeat(T0 + MINUTE, MINUTE)).toBe(true);
    expect(await h.queueState()).toEqual({ lastSentAt: T0 + MINUTE, lastProcessedAt: null, oldestWaitingSentAt: T0 });
    await h.heartbeatProcessed(T0, T0 + 5_000);
    expect(await h.queueState()).toEqual({
      lastSentAt: T0 + MINUTE,
      lastProcessedAt: T0 + 5_000,
      oldestWaitingSentAt: T0 + MINUTE,
    });
  });

  it("remembers a checkpoint per verifier key, and only a larger one", async () => {
    const h = fresh();
    await h.saveCheckpoint("key-a", "note 5", 5);
    await h.saveCheckpoint("key-a", "note 3", 3);
    expect(await h.lastCheckpoint("key-a")).toEqual({ note: "note 5", size: 5 });
    expect(await h.lastCheckpoint("key-b")).toBeNull();
    await h.saveCheckpoint("key-b", "note 1", 1); // a rotated key starts a new memory
    expect(await h.lastCheckpoint("key-b")).toEqual({ note: "note 1", size: 1 });
  });
});
