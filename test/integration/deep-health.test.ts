// GET /v1/health/deep: every dependency checked, each failure (injected under the test binding,
// or a real lag made in storage) named with its reason, and the overall answer it makes.
import { env, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import {
  CHECK_NAMES,
  deepHealth,
  injectHealthFault,
  LOG_LAG_LIMIT_S,
  QUEUE_LAG_LIMIT_S,
  SEARCH_LAG_LIMIT_S,
} from "../../src/services/deep-health";
import type { DeepHealth } from "../../src/api/monitoring";
import { LOG_CHECKPOINT_KEY, SEARCH_INDEX_NAME, STATUS_HISTORY_NAME } from "../../src/storage/keys";
import type { StatusHistory } from "../../src/objects/status-history";
import type { SearchIndex } from "../../src/objects/search-index";
import { buildArchive } from "../helpers/archive-builder";
import { ADMIN, call, publish } from "./helpers";

const CRITICAL = ["r2", "kv", "accounts", "package-writer", "scope-ownership", "rate-limits", "log"];

async function get(): Promise<{ status: number; body: DeepHealth; res: Response }> {
  const res = await call("/v1/health/deep");
  return { status: res.status, body: (await res.json()) as DeepHealth, res };
}

const check = (body: DeepHealth, name: string) => body.checks.find((c) => c.name === name)!;

afterEach(() => injectHealthFault(env, null));

describe("GET /v1/health/deep", () => {
  it("checks every dependency and answers ok with the build, without secrets", async () => {
    expect((await publish("@health/a", await buildArchive({ name: "@health/a", version: "1.0.0" }))).status).toBe(201);
    injectHealthFault(env, null); // a fresh report, not one cached before the publish
    const { status, body, res } = await get();
    expect(status).toBe(200);
    expect(body.status, JSON.stringify(body.checks.filter((c) => !c.ok))).toBe("ok");
    expect(body.checks.map((c) => c.name)).toEqual(CHECK_NAMES);
    for (const c of body.checks) {
      expect(c.ok, c.name).toBe(true);
      expect(c.reason, c.name).toBeUndefined();
      expect(c.latencyMs).toBeGreaterThanOrEqual(0);
      expect(c.critical, c.name).toBe(CRITICAL.includes(c.name));
    }
    expect(check(body, "log").detail).toMatchObject({ treeSize: 1, entriesWaiting: 0 });
    expect(check(body, "search").detail).toMatchObject({ packages: 1 });
    expect(check(body, "queue").detail).toHaveProperty("oldestUnprocessedSeconds");
    expect(body).toMatchObject({ version: expect.any(String), checkedAt: expect.any(String) });
    expect(body).toHaveProperty("commit");
    expect(body).toHaveProperty("builtAt");
    const text = JSON.stringify(body);
    expect(text).not.toContain(ADMIN);
    // PRIVATE+KEY+<name>+<hash>+<key>: the key is base64, which may hold a "+" (or end with one).
    const secret = env.LOG_SIGNING_KEY!.split("+").slice(4).join("+");
    expect(secret.length).toBeGreaterThan(40);
    expect(text).not.toContain(secret);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("reuses its report for a few seconds", async () => {
    const first = (await get()).body;
    const second = (await get()).body;
    expect(second.checkedAt).toBe(first.checkedAt);
  });

  it("is rate-limited as an anonymous read", async () => {
    const res = (await get()).res;
    expect(res.headers.get("x-ratelimit-limit")).toBe("100");
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  for (const name of CHECK_NAMES) {
    const critical = CRITICAL.includes(name);
    it(`says why when ${name} fails, and is ${critical ? "down (503)" : "degraded (200)"}`, async () => {
      injectHealthFault(env, name);
      const { status, body } = await get();
      expect(status).toBe(critical ? 503 : 200);
      expect(body.status).toBe(critical ? "down" : "degraded");
      const failed = body.checks.filter((c) => !c.ok);
      expect(failed.map((c) => c.name)).toEqual([name]);
      expect(failed[0]!.reason).toContain(`${name} is unavailable`);
    });
  }

  it("refuses fault injection without the test binding", () => {
    expect(() => injectHealthFault({ ...env, ALLOW_FAULT_INJECTION: undefined }, "r2")).toThrow(/tests only/);
  });
});

describe("deep health's lag checks (real state, a later clock)", () => {
  it("reports a queue heartbeat nobody consumed", async () => {
    const now = Date.now();
    const old = now - (QUEUE_LAG_LIMIT_S + 60) * 1000;
    await runInDurableObject(env.STATUS_HISTORY.getByName(STATUS_HISTORY_NAME), (obj: StatusHistory, state) => {
      void obj;
      state.storage.sql.exec("INSERT INTO heartbeats (sent_at, processed_at) VALUES (?, NULL)", old);
    });
    injectHealthFault(env, null);
    const { report } = await deepHealth(env, now);
    expect(report.status).toBe("degraded");
    const queue = report.checks.find((c) => c.name === "queue")!;
    expect(queue.ok).toBe(false);
    expect(queue.reason).toContain(`sent ${QUEUE_LAG_LIMIT_S + 60} s ago`);
    expect(queue.detail).toMatchObject({ oldestUnprocessedSeconds: QUEUE_LAG_LIMIT_S + 60 });
    await runInDurableObject(env.STATUS_HISTORY.getByName(STATUS_HISTORY_NAME), (obj: StatusHistory, state) => {
      void obj;
      state.storage.sql.exec("DELETE FROM heartbeats WHERE sent_at = ?", old);
    });
  });

  it("reports R2 serving an older checkpoint than the sequencer's, once it should have caught up", async () => {
    expect((await publish("@health/b", await buildArchive({ name: "@health/b", version: "1.0.0" }))).status).toBe(201);
    const current = await (await env.BUCKET.get(LOG_CHECKPOINT_KEY))!.text();
    await env.BUCKET.put(LOG_CHECKPOINT_KEY, "an older checkpoint\n");
    injectHealthFault(env, null);
    expect((await deepHealth(env, Date.now())).report.status).toBe("ok"); // within the time the alarm has
    injectHealthFault(env, null);
    const later = await deepHealth(env, Date.now() + (LOG_LAG_LIMIT_S + 30) * 1000);
    const log = later.report.checks.find((c) => c.name === "log")!;
    expect(log).toMatchObject({
      ok: false,
      critical: false,
      reason: "the checkpoint served from R2 is not the sequencer's latest",
    });
    expect(later.report.status).toBe("degraded");
    await env.BUCKET.put(LOG_CHECKPOINT_KEY, current);
  });

  it("reports logged packages missing from the search index long after the last publish", async () => {
    expect((await publish("@health/c", await buildArchive({ name: "@health/c", version: "1.0.0" }))).status).toBe(201);
    // The index loses the package (as if its reindex job had been lost).
    await runInDurableObject(env.SEARCH_INDEX.getByName(SEARCH_INDEX_NAME), async (obj: SearchIndex, state) => {
      void obj;
      for (
        let i = 0;
        i < 50 && state.storage.sql.exec("SELECT 1 FROM packages WHERE name = '@health/c'").toArray().length === 0;
        i++
      )
        await scheduler.wait(20);
      state.storage.sql.exec("DELETE FROM packages WHERE name = '@health/c'");
    });
    injectHealthFault(env, null);
    const soon = await deepHealth(env, Date.now());
    expect(soon.report.checks.find((c) => c.name === "search")!.ok).toBe(true); // the queue may still be on it
    injectHealthFault(env, null);
    const later = await deepHealth(env, Date.now() + (SEARCH_LAG_LIMIT_S + 60) * 1000);
    const search = later.report.checks.find((c) => c.name === "search")!;
    expect(search.ok).toBe(false);
    expect(search.reason).toMatch(/^1 logged packages are not in the search index/);
    expect(search.detail!.packages).toBe((search.detail!.packagesIndexed as number) + 1);
  });
});
