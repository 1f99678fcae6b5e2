// The queue consumer's version-published job, and the OpenAPI document's coverage of the routes.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { createApp } from "../../src/http/app";
import { documentedRoutes } from "../../src/http/openapi";
import type { JobMessage } from "../../src/jobs/messages";
import { buildArchive } from "../helpers/archive-builder";
import { call, publish, sha256HexOf } from "./helpers";

async function runJobs(messages: JobMessage[]) {
  const batch = createMessageBatch<JobMessage>("ori-registry-jobs", messages.map((body, i) => ({ id: String(i), timestamp: new Date(), attempts: 1, body })));
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

describe("queue: version-published", () => {
  it("re-projects a version whose KV documents were lost, and acks", async () => {
    const archive = await buildArchive({ name: "@jobs/a", version: "1.0.0" });
    expect((await publish("@jobs/a", archive)).status).toBe(201);
    await env.METADATA.delete("pkg:@jobs/a:v:1.0.0");
    const result = await runJobs([{ type: "version-published", name: "@jobs/a", version: "1.0.0", sha256: await sha256HexOf(archive) }]);
    expect(result.explicitAcks).toEqual(["0"]);
    expect(await env.METADATA.get("pkg:@jobs/a:v:1.0.0")).not.toBeNull();
  });

  it("retries when a committed version's archive is missing from storage", async () => {
    const archive = await buildArchive({ name: "@jobs/b", version: "1.0.0" });
    expect((await publish("@jobs/b", archive)).status).toBe(201);
    const sha = await sha256HexOf(archive);
    await env.BUCKET.delete(`archives/sha256/${sha}`);
    const result = await runJobs([{ type: "version-published", name: "@jobs/b", version: "1.0.0", sha256: sha }]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["0"]);
  });

  it("acks a message for a version that does not exist (nothing to check)", async () => {
    const result = await runJobs([{ type: "version-published", name: "@jobs/none", version: "1.0.0", sha256: "0".repeat(64) }]);
    expect(result.explicitAcks).toEqual(["0"]);
  });
});

describe("GET /v1/openapi.json", () => {
  it("documents every route the app registers, and nothing else", async () => {
    const registered = new Set(
      createApp()
        .routes.filter((r) => r.method !== "ALL")
        .map((r) => `${r.method} ${r.path.replace("/v1/log/tile/*", "/v1/log/tile/:path")}`),
    );
    const documented = new Set(documentedRoutes().map((r) => r.replace("/v1/log/tile/*", "/v1/log/tile/:path")));
    expect([...registered].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !registered.has(r))).toEqual([]);
    const doc = (await (await call("/v1/openapi.json")).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/v1/packages/{scope}/{name}/publish");
  });
});
