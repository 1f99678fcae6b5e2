// npm start's trigger route (src/local-trigger.ts): with LOCAL_TRIGGERS, which only the lean
// runtime sets, GET /cdn-cgi/local/scheduled?cron=… runs the scheduled handler once (the probes
// then show in GET /v1/status); without it, the Worker has no such route.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import type { Env } from "../../src/env";
import type { StatusReport } from "../../src/api/monitoring";
import { BASE, call } from "./helpers";

async function fetchWith(
  overrides: Partial<Env>,
  path: string,
  base = "http://127.0.0.1:8787",
  headers: Record<string, string> = {},
): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${base}${path}`, { headers }), { ...env, ...overrides } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const lastProbe = async () => ((await (await call("/v1/status")).json()) as StatusReport).lastProbeAt;
/** A scheduled time no other test uses: the status shows when its probe ran. */
const time = Math.floor(Date.now() / 60_000) * 60_000 + 7 * 60_000;

describe("the local trigger route", () => {
  it("runs the scheduled handler once under npm start's setting, and answers ok", async () => {
    const before = await lastProbe();
    const res = await fetchWith({ LOCAL_TRIGGERS: "true" }, `/cdn-cgi/local/scheduled?cron=*+*+*+*+*&time=${time}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ok");
    const after = await lastProbe();
    expect(after).not.toBeNull();
    expect(after).not.toBe(before);
    const again = await fetchWith(
      { LOCAL_TRIGGERS: "true" },
      `/cdn-cgi/local/scheduled?cron=*+*+*+*+*&time=${time + 120_000}&format=json`,
    );
    expect(await again.json()).toEqual({ outcome: "ok" });
  });

  it("answers only requests for this machine's names, as Miniflare's own route does", async () => {
    const before = await lastProbe();
    const path = `/cdn-cgi/local/scheduled?cron=*+*+*+*+*&time=${time + 180_000}`;
    for (const [base, headers] of [
      [BASE, {}],
      ["http://rebound.example", {}],
      ["http://127.0.0.1:8787", { Origin: "https://evil.example" }],
    ] as const) {
      const res = await fetchWith({ LOCAL_TRIGGERS: "true" }, path, base, headers);
      expect(res.status).toBe(403);
      await res.arrayBuffer();
    }
    expect(await lastProbe()).toBe(before);
    const ok = await fetchWith({ LOCAL_TRIGGERS: "true" }, path, "http://localhost:8787", {
      Origin: "http://localhost:8787",
    });
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
  });

  it("does not exist without it (tests, staging, production)", async () => {
    const before = await lastProbe();
    for (const overrides of [{}, { LOCAL_TRIGGERS: "false" }]) {
      const res = await fetchWith(overrides, `/cdn-cgi/local/scheduled?cron=*+*+*+*+*&time=${time + 60_000}`);
      expect(res.status).toBe(404);
      await res.arrayBuffer();
    }
    expect(await lastProbe()).toBe(before);
  });
});
