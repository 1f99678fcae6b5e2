// End to end: monitoring on the real local server (`npm start`). Deep health names the build
// (its version and git commit, injected at bundle time); Miniflare's scheduled-trigger route runs
// the probes, whose results GET /v1/status then shows; a failing probe reaches a fake Sentry
// collector on 127.0.0.1 as an envelope that Sentry's own parser reads; the terminal gets one
// JSON line per request, with route templates and no token.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEnvelope } from "@sentry/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeepHealth, ErrorGroup, StatusReport } from "../../src/api/monitoring";
import { startDevServer, type DevServer } from "./dev-server";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "ori-e2e-monitoring-"));
const envelopes: { url: string; auth: string | undefined; body: string }[] = [];
let collector: Server;
let server: DevServer;

beforeAll(async () => {
  collector = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      envelopes.push({ url: req.url ?? "", auth: req.headers["x-sentry-auth"] as string | undefined, body });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  const port = (collector.address() as { port: number }).port;
  // An optional secret in the local secrets file: `npm start` passes SENTRY_DSN on.
  writeFileSync(join(dir, "dev.vars"), `SENTRY_DSN="http://publickey@127.0.0.1:${port}/42"\n`, { mode: 0o600 });
  server = await startDevServer({ dir });
});

afterAll(async () => {
  await server?.stop();
  await new Promise<void>((resolve) => (collector ? collector.close(() => resolve()) : resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const get = async <T>(path: string, token?: string): Promise<{ status: number; body: T }> => {
  const res = await fetch(`${server.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: res.status, body: (await res.json()) as T };
};

async function trigger(): Promise<void> {
  const res = await fetch(`${server.url}/cdn-cgi/local/scheduled?cron=${encodeURIComponent("* * * * *")}`);
  expect(res.status, await res.clone().text()).toBe(200);
  expect(await res.text()).toBe("ok");
}

describe("monitoring on the dev server", () => {
  it("names the running build in deep health: the package version, the git commit and the build time", async () => {
    const { status, body } = await get<DeepHealth>("/v1/health/deep");
    expect(status).toBe(200);
    expect(body.status).toBe("ok");
    expect(body.version).toBe(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version);
    const head = execFileSync("git", ["rev-parse", "--short=12", "HEAD"], { cwd: root }).toString().trim();
    expect(body.commit).toMatch(new RegExp(`^${head}(-dirty)?$`));
    expect(Date.parse(body.builtAt!)).toBeLessThanOrEqual(Date.now());
  });

  it("runs the probes when the schedule is triggered, and shows what they saw in /v1/status", async () => {
    expect((await get<StatusReport>("/v1/status")).body.status).toBe("unknown");
    await trigger();
    const { body } = await get<StatusReport>("/v1/status");
    expect(body.status).toBe("operational");
    expect(body.lastProbeAt).not.toBeNull();
    expect(body.endpoints.map((e) => [e.endpoint, e.state, e.last?.error ?? null])).toEqual([
      ["versions", "up", null],
      ["metadata", "up", null],
      ["download", "up", null],
      ["checkpoint", "up", null],
      ["search", "up", null],
      ["advisories", "up", null],
    ]);
    expect(body.endpoints.every((e) => e.windows["1h"].probes === 1)).toBe(true);
  });

  it("sends a failing probe to the Sentry collector as an envelope, and lists its group for admins", async () => {
    const yank = await fetch(`${server.url}/v1/packages/@registry-probe/canary/1.0.0/yank`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.adminToken}` },
    });
    expect(yank.status).toBe(200);
    await trigger();
    const versions = (await get<StatusReport>("/v1/status")).body.endpoints.find((e) => e.endpoint === "versions")!;
    expect(versions.state).toBe("failing");
    await expect.poll(() => envelopes.length, { timeout: 10_000 }).toBeGreaterThan(0);
    const sent = envelopes[0]!;
    expect(sent.url).toBe("/api/42/envelope/");
    expect(sent.auth).toContain("sentry_key=publickey");
    const [header, items] = parseEnvelope(sent.body);
    expect(header).toMatchObject({ dsn: expect.stringContaining("@127.0.0.1:") });
    const event = JSON.parse(new TextDecoder().decode(items[0]![1] as Uint8Array)) as {
      tags: Record<string, string>;
      exception: { values: { value: string }[] };
    };
    expect(event.tags).toMatchObject({ kind: "probe", where: "versions" });
    expect(event.exception.values[0]!.value).toContain("yanked");
    expect(sent.body).not.toContain(server.adminToken);
    const { body } = await get<{ groups: ErrorGroup[] }>("/v1/admin/errors", server.adminToken);
    expect(body.groups.find((g) => g.kind === "probe" && g.where === "versions")).toMatchObject({
      count: 1,
      status: "open",
    });
  });

  it("logs one JSON line per request on the terminal, by route template, with no token", async () => {
    await get("/v1/packages/@registry-probe/canary/versions");
    await new Promise((r) => setTimeout(r, 300));
    const lines = server
      .output()
      .split("\n")
      .filter((l) => l.includes('"msg":"request"'))
      .map((l) => JSON.parse(l.slice(l.indexOf("{"))) as { route: string | null; status: number });
    expect(lines.some((l) => l.route === "/v1/packages/{scope}/{name}/versions" && l.status === 200)).toBe(true);
    expect(lines.some((l) => l.route === "/v1/status")).toBe(true);
    expect(server.output()).not.toMatch(/"route":"\/v1\/packages\/@/);
    expect(server.output().split(server.adminToken).length).toBe(
      1 + (server.output().includes(`export ORI_REGISTRY_TOKEN=${server.adminToken}`) ? 1 : 0),
    );
  });
});
