// End to end: the two local runtimes share one state folder. What `npm run dev` (wrangler dev,
// the old `npm start`) wrote, `npm start` (Miniflare's API) reads — packages, the log and its
// signing key, accounts and tokens — and the other way round; the lean runtime runs the queue
// consumer (search is indexed by a job) and answers the scheduled-trigger route.
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { PublishResult as PublishResponse } from "../../src/api/packages";
import { buildArchive } from "../helpers/archive-builder";
import { startDevServer, type DevServer } from "./dev-server";

const dir = mkdtempSync(join(tmpdir(), "ori-e2e-runtimes-"));
let server: DevServer | undefined;

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function publish(s: DevServer, version: string): Promise<PublishResponse> {
  const archive = await buildArchive({ name: "@e2e/shared", version });
  const res = await fetch(`${s.url}/v1/packages/@e2e/shared/publish`, {
    method: "POST",
    headers: { authorization: `Bearer ${s.adminToken}`, "content-type": "application/gzip" },
    body: archive as Uint8Array<ArrayBuffer>,
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const body = (await res.json()) as PublishResponse;
  expect(body.sha256).toBe(createHash("sha256").update(archive).digest("hex"));
  return body;
}

const versions = async (s: DevServer) =>
  (
    (await (await fetch(`${s.url}/v1/packages/@e2e/shared/versions`)).json()) as { versions: { version: string }[] }
  ).versions
    .map((v) => v.version)
    .sort();
const checkpoint = async (s: DevServer) => (await fetch(`${s.url}/v1/log/checkpoint`)).text();
const whoami = async (s: DevServer, token: string) =>
  (await fetch(`${s.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status;

describe("npm start and npm run dev on the same state folder", () => {
  let first: PublishResponse;
  let aliceToken: string;
  let checkpointBefore: string;

  it("npm run dev (wrangler dev) publishes a package and creates an account", async () => {
    server = await startDevServer({ dir, runtime: "dev" });
    first = await publish(server, "1.0.0");
    const res = await fetch(`${server.url}/v1/admin/users`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ username: "alice" }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    aliceToken = ((await res.json()) as { token: { token: string } }).token.token;
    checkpointBefore = await checkpoint(server);
    await server.stop();
    server = undefined;
  });

  it("npm start reads all of it: the version, its bytes, the same log and key, the account's token", async () => {
    server = await startDevServer({ dir });
    expect(server.output()).toContain("workerd through Miniflare");
    expect(await versions(server)).toEqual(["1.0.0"]);
    const dl = await fetch(`${server.url}/v1/packages/@e2e/shared/1.0.0/download`);
    expect(dl.status).toBe(200);
    expect(
      createHash("sha256")
        .update(new Uint8Array(await dl.arrayBuffer()))
        .digest("hex"),
    ).toBe(first.sha256);
    expect(await checkpoint(server)).toBe(checkpointBefore);
    expect(await whoami(server, aliceToken)).toBe(200);
  });

  it("npm start appends to the same log, and its queue consumer indexes the package for search", async () => {
    const second = await publish(server!, "1.1.0");
    expect(second.log.index).toBe(first.log.index + 1);
    // reindex-package is a queue job: the search index only learns of the package through it.
    const deadline = Date.now() + 30_000;
    let names: string[] = [];
    while (Date.now() < deadline) {
      const res = (await (await fetch(`${server!.url}/v1/search?q=shared`)).json()) as {
        results: { name: string; version?: string }[];
      };
      names = res.results.map((r) => r.name);
      if (names.includes("@e2e/shared")) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(names).toContain("@e2e/shared");
  });

  it("npm start routes /cdn-cgi/local/scheduled to the Worker's scheduled handler", async () => {
    const res = await fetch(`${server!.url}/cdn-cgi/local/scheduled?cron=${encodeURIComponent("*/5 * * * *")}`);
    // The monitoring probes ran (test/e2e/monitoring.test.ts reads what they recorded).
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.text()).toBe("ok");
  });

  it("npm run dev reads what npm start wrote", async () => {
    const afterLean = await checkpoint(server!);
    await server!.stop();
    server = await startDevServer({ dir, runtime: "dev" });
    expect(await versions(server)).toEqual(["1.0.0", "1.1.0"]);
    expect(await checkpoint(server)).toBe(afterLean);
  });
});
