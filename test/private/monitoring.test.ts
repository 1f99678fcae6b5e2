// Monitoring in private mode: deep health and the status page answer without a token (an
// operator's monitor needs no secret) but show no count of what the registry holds, and the
// probes read the canary with the operator's token, since reads need one.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import type { DeepHealth, StatusReport } from "../../src/api/monitoring";
import { buildArchive } from "../helpers/archive-builder";

const ADMIN = "ori_test_admin_token_0123456789abcdef";
const call = (path: string, init: RequestInit = {}) =>
  (exports as unknown as { default: Fetcher }).default.fetch(`http://registry.test${path}`, init);

describe("monitoring in private mode", () => {
  it("answers deep health anonymously, with no count of packages or entries", async () => {
    const archive = await buildArchive({ name: "@pmon/secret", version: "1.0.0" });
    const published = await call("/v1/packages/@pmon/secret/publish", {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/gzip" },
      body: archive,
    });
    expect(published.status).toBe(201);
    const res = await call("/v1/health/deep");
    expect(res.status).toBe(200);
    const body = (await res.json()) as DeepHealth;
    expect(body.status).toBe("ok");
    const log = body.checks.find((c) => c.name === "log")!;
    expect(log.detail).not.toHaveProperty("treeSize");
    expect(body.checks.find((c) => c.name === "search")!.detail).toBeUndefined();
    expect(JSON.stringify(body)).not.toMatch(/"(treeSize|packages|packagesIndexed|documentsIndexed)"/);
  });

  it("probes with the operator's read token and shows the status anonymously", async () => {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "* * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect((await call("/v1/packages/@registry-probe/canary/versions")).status).toBe(401);
    const res = await call("/v1/status");
    expect(res.status).toBe(200);
    const s = (await res.json()) as StatusReport;
    expect(s.endpoints.map((e) => [e.endpoint, e.state, e.last?.error ?? null])).toEqual(
      s.endpoints.map((e) => [e.endpoint, "up", null]),
    );
  });
});
