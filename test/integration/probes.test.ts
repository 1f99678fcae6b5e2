// The Cron Trigger's scheduled handler, run by the test helpers: it publishes the canary once,
// probes the public endpoints as a client would, records what it saw (GET /v1/status), raises
// the probe_failing alert after PROBE_ALERT_AFTER failed runs and probe_recovered after, and
// catches a log that forked or shrank against the checkpoint it verified last.
import {
  createExecutionContext,
  createScheduledController,
  env,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import type { StatusReport } from "../../src/api/monitoring";
import type { StatusHistory } from "../../src/objects/status-history";
import { CANARY_PACKAGE, CANARY_VERSION, canaryArchive } from "../../src/services/canary";
import { PROBES } from "../../src/services/probes";
import { signCheckpoint } from "../../src/log/checkpoint";
import { STATUS_HISTORY_NAME } from "../../src/storage/keys";
import { buildArchive } from "../helpers/archive-builder";
import { ADMIN, call, publish } from "./helpers";
import { json } from "./access-helpers";

const MINUTE = 60_000;
/** Scheduled times: whole minutes from a fixed start, one per run. */
let clock = Math.floor(Date.now() / MINUTE) * MINUTE;

async function runSchedule(): Promise<void> {
  clock += MINUTE;
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: clock, cron: "* * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

async function status(): Promise<StatusReport> {
  const res = await call("/v1/status");
  expect(res.status).toBe(200);
  return (await res.json()) as StatusReport;
}

const endpoint = (s: StatusReport, name: string) => s.endpoints.find((e) => e.endpoint === name)!;

/** The JSON log lines written to console.error / console.log while `fn` runs. */
async function logsOf(fn: () => Promise<void>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const err = vi.spyOn(console, "error").mockImplementation((l: unknown) => void lines.push(String(l)));
  const log = vi.spyOn(console, "log").mockImplementation((l: unknown) => void lines.push(String(l)));
  try {
    await fn();
  } finally {
    err.mockRestore();
    log.mockRestore();
  }
  return lines.flatMap((l) => {
    try {
      return [JSON.parse(l) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

afterEach(() => vi.restoreAllMocks());

describe("the scheduled handler", () => {
  it("starts with nothing to report", async () => {
    const s = await status();
    expect(s.status).toBe("unknown");
    expect(s.lastProbeAt).toBeNull();
    expect(s.endpoints.map((e) => [e.endpoint, e.state])).toEqual(Object.keys(PROBES).map((e) => [e, "unknown"]));
  });

  it("publishes the canary on its first run, probes every endpoint and records each as up", async () => {
    await runSchedule();
    const versions = await call(`/v1/packages/${CANARY_PACKAGE}/versions`);
    expect(versions.status).toBe(200);
    const listed = ((await versions.json()) as { versions: { version: string; sha256: string }[] }).versions;
    expect(listed).toEqual([
      expect.objectContaining({ version: CANARY_VERSION, sha256: (await canaryArchive()).sha256 }),
    ]);
    const s = await status();
    expect(s.lastProbeAt).toBe(new Date(clock).toISOString());
    for (const name of Object.keys(PROBES)) {
      const e = endpoint(s, name);
      expect(e.state, `${name}: ${e.last?.error}`).toBe("up");
      expect(e.route).toBe(PROBES[name as keyof typeof PROBES]);
      expect(e.last).toMatchObject({ ok: true, status: 200, error: null });
      expect(e.windows["1h"]).toMatchObject({ probes: 1, failures: 0, uptimePercent: 100 });
    }
    expect(s.status).toBe("operational");
    expect(s.incidents).toEqual([]);
  });

  it("proves each checkpoint consistent with the one it verified last, as the log grows", async () => {
    expect((await publish("@probe/grow", await buildArchive({ name: "@probe/grow", version: "1.0.0" }))).status).toBe(
      201,
    );
    await runSchedule();
    const kept = await runInDurableObject(env.STATUS_HISTORY.getByName(STATUS_HISTORY_NAME), (obj: StatusHistory) =>
      obj.lastCheckpoint(env.TEST_LOG_VERIFIER_KEY),
    );
    expect(kept!.size).toBe(2);
    const s = await status();
    expect(endpoint(s, "checkpoint")).toMatchObject({ state: "up", windows: { "1h": { probes: 2, failures: 0 } } });
  });

  it("alerts once after PROBE_ALERT_AFTER failed runs, marks the endpoint down, and recovers", async () => {
    // The canary yanked: listed, but not available — the versions probe must fail.
    expect((await json("POST", `/v1/packages/${CANARY_PACKAGE}/${CANARY_VERSION}/yank`, ADMIN)).status).toBe(200);
    const alerts: Record<string, unknown>[] = [];
    for (let run = 1; run <= 4; run++) {
      const lines = await logsOf(runSchedule);
      alerts.push(...lines.filter((l) => l.alert === "probe_failing"));
      if (run === 1) expect(endpoint(await status(), "versions").state).toBe("failing");
    }
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      level: "error",
      alert: "probe_failing",
      endpoint: "versions",
      consecutiveFailures: 3,
      route: PROBES.versions,
    });
    let s = await status();
    expect(s.status).toBe("degraded");
    expect(endpoint(s, "versions")).toMatchObject({ state: "down", consecutiveFailures: 4 });
    expect(endpoint(s, "versions").last!.error).toContain("yanked");
    expect(endpoint(s, "download").state).toBe("up"); // a yanked version still downloads
    expect(s.incidents).toEqual([
      {
        endpoint: "versions",
        startedAt: new Date(clock - 3 * MINUTE).toISOString(),
        endedAt: null,
        failures: 4,
        lastError: expect.stringContaining("yanked"),
      },
    ]);

    expect((await json("POST", `/v1/packages/${CANARY_PACKAGE}/${CANARY_VERSION}/unyank`, ADMIN)).status).toBe(200);
    const lines = await logsOf(runSchedule);
    expect(lines.filter((l) => l.alert === "probe_recovered")).toEqual([
      expect.objectContaining({ endpoint: "versions", level: "info" }),
    ]);
    s = await status();
    expect(s.status).toBe("operational");
    expect(s.incidents[0]).toMatchObject({ endpoint: "versions", endedAt: new Date(clock).toISOString(), failures: 4 });
    expect(endpoint(s, "versions").windows["1h"]).toMatchObject({ probes: 7, failures: 4, uptimePercent: 42.86 });
  });

  it("records every failed probe as an error group", async () => {
    await vi.waitFor(async () => {
      const { groups } = (await (await json("GET", "/v1/admin/errors", ADMIN)).json()) as {
        groups: { kind: string; where: string; count: number; lastMessage: string }[];
      };
      expect(groups.find((g) => g.kind === "probe" && g.where === "versions")).toMatchObject({
        count: 4,
        lastMessage: expect.stringContaining("yanked"),
      });
    });
  });

  it("fails the checkpoint probe when the log forked from the checkpoint it verified last", async () => {
    const history = env.STATUS_HISTORY.getByName(STATUS_HISTORY_NAME);
    const kept = (await runInDurableObject(history, (obj: StatusHistory) =>
      obj.lastCheckpoint(env.TEST_LOG_VERIFIER_KEY),
    ))!;
    // A checkpoint of the same size with another root, signed by the log's own key: a fork.
    const forged = signCheckpoint(
      { origin: "registry.test/v1/log", size: kept.size, hash: new Uint8Array(32).fill(7) },
      env.LOG_SIGNING_KEY!,
    );
    await runInDurableObject(history, (obj: StatusHistory, state) => {
      void obj;
      state.storage.sql.exec("UPDATE witness SET note = ? WHERE id = 1", forged);
    });
    await runSchedule();
    const e = endpoint(await status(), "checkpoint");
    expect(e.state).toBe("failing");
    expect(e.last!.error).toContain("the log forked");
    await runInDurableObject(history, (obj: StatusHistory, state) => {
      void obj;
      state.storage.sql.exec("UPDATE witness SET note = ? WHERE id = 1", kept.note);
    });
    await runSchedule();
    expect(endpoint(await status(), "checkpoint").state).toBe("up");
  });

  it("fails the checkpoint probe when the log is smaller than the checkpoint it verified last", async () => {
    const history = env.STATUS_HISTORY.getByName(STATUS_HISTORY_NAME);
    const kept = (await runInDurableObject(history, (obj: StatusHistory) =>
      obj.lastCheckpoint(env.TEST_LOG_VERIFIER_KEY),
    ))!;
    const bigger = signCheckpoint(
      { origin: "registry.test/v1/log", size: kept.size + 5, hash: new Uint8Array(32).fill(9) },
      env.LOG_SIGNING_KEY!,
    );
    await runInDurableObject(history, (obj: StatusHistory) =>
      obj.saveCheckpoint(env.TEST_LOG_VERIFIER_KEY, bigger, kept.size + 5),
    );
    await runSchedule();
    const e = endpoint(await status(), "checkpoint");
    expect(e.state).toBe("failing");
    expect(e.last!.error).toContain("the log shrank");
  });
});
