// The queue consumer's version-published job. (The OpenAPI document's coverage of the routes is
// checked in contract.test.ts.)
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import type { JobMessage } from "../../src/jobs/messages";
import { buildArchive } from "../helpers/archive-builder";
import { publish, sha256HexOf } from "./helpers";

async function runJobs(messages: JobMessage[]) {
  const batch = createMessageBatch<JobMessage>(
    "ori-registry-jobs",
    messages.map((body, i) => ({ id: String(i), timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

describe("queue: version-published", () => {
  it("re-projects a version whose KV documents were lost, and acks", async () => {
    const archive = await buildArchive({ name: "@jobs/a", version: "1.0.0" });
    expect((await publish("@jobs/a", archive)).status).toBe(201);
    await env.METADATA.delete("pkg:@jobs/a:v:1.0.0");
    const result = await runJobs([
      { type: "version-published", name: "@jobs/a", version: "1.0.0", sha256: await sha256HexOf(archive) },
    ]);
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
    const result = await runJobs([
      { type: "version-published", name: "@jobs/none", version: "1.0.0", sha256: "0".repeat(64) },
    ]);
    expect(result.explicitAcks).toEqual(["0"]);
  });
});
