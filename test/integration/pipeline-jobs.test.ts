// The queue jobs of the pipeline after a publish, inside workerd, through the Worker's own queue
// handler (createMessageBatch/getQueueResult): process-version (redelivery, duplicates, a
// failure then a retry, the dead-letter path, a permanent refusal), and what it serves — the
// file index, raw files, the README — plus the dead letters an operator lists.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { JobMessage } from "../../src/jobs/messages";
import type { VersionRecord } from "../../src/domain/package-records";
import { buildArchive } from "../helpers/archive-builder";
import { deliver } from "./queue-delivery";
import { ADMIN, call, errorCode, publish, sha256HexOf } from "./helpers";

const record = (pkg: string, version: string) =>
  env.PACKAGE_WRITER.getByName(`package:${pkg}`).findVersion(version) as Promise<VersionRecord | null>;

async function published(pkg: string, files: Record<string, string | Uint8Array> = {}) {
  const archive = await buildArchive({ name: pkg, version: "1.0.0", files });
  expect((await publish(pkg, archive)).status).toBe(201);
  const sha256 = await sha256HexOf(archive);
  const job: JobMessage = { type: "process-version", name: pkg, version: "1.0.0", sha256 };
  return { archive, sha256, job };
}

describe("queue: process-version", () => {
  it("records the version pending at its commit, then done with its file index and README", async () => {
    const { sha256, job } = await published("@pipe/ok", {
      "README.md": "# Title\n\n<img src=x onerror=alert(1)> *fine*\n",
      "src/lib.ori": "fn lib() {}\n",
      "src/data.bin": new Uint8Array([0, 1, 2, 255]),
    });
    expect((await record("@pipe/ok", "1.0.0"))?.processing?.status).toMatch(/^(pending|done)$/);
    expect((await deliver([job])).explicitAcks).toHaveLength(1);
    const state = (await record("@pipe/ok", "1.0.0"))!.processing!;
    expect(state).toMatchObject({ status: "done", reason: null, files: 7, readme: true });
    expect(await env.BUCKET.head(`processed/sha256/${sha256}/files.json`)).not.toBeNull();
    expect(await env.BUCKET.head(`processed/sha256/${sha256}/readme.html`)).not.toBeNull();

    const meta = (await (await call("/v1/packages/@pipe/ok/1.0.0/metadata")).json()) as {
      processing: { status: string };
    };
    expect(meta.processing.status).toBe("done");
    const files = (await (await call("/v1/packages/@pipe/ok/1.0.0/files")).json()) as {
      sha256: string;
      files: { path: string; size: number; sha256: string }[];
    };
    expect(files.sha256).toBe(sha256);
    expect(files.files.find((f) => f.path === "src/lib.ori")).toEqual({
      path: "src/lib.ori",
      size: 12,
      sha256: await sha256HexOf(new TextEncoder().encode("fn lib() {}\n")),
    });
    const readme = (await (await call("/v1/packages/@pipe/ok/1.0.0/readme")).json()) as { html: string };
    expect(readme.html).toContain("<h1>Title</h1>");
    expect(readme.html).not.toContain("onerror");
  });

  it("serves a text file as text/plain, never as HTML, and a binary one as a download", async () => {
    const { job } = await published("@pipe/raw", {
      "src/page.ori": "<html><script>alert(1)</script></html>\n",
      "src/blob.bin": new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0]),
      "src/dir name/ü %23.ori": "unicode\n",
    });
    await deliver([job]);
    const text = await call("/v1/packages/@pipe/raw/1.0.0/files/src/page.ori");
    expect(text.status).toBe(200);
    expect(text.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(text.headers.get("x-content-type-options")).toBe("nosniff");
    expect(text.headers.get("content-security-policy")).toContain("sandbox");
    expect(await text.text()).toBe("<html><script>alert(1)</script></html>\n");
    const binary = await call("/v1/packages/@pipe/raw/1.0.0/files/src/blob.bin");
    expect(binary.headers.get("content-type")).toBe("application/octet-stream");
    expect(binary.headers.get("content-disposition")).toContain("attachment");
    expect(new Uint8Array(await binary.arrayBuffer())).toEqual(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0]));
    const odd = await call(
      `/v1/packages/@pipe/raw/1.0.0/files/src/${encodeURIComponent("dir name")}/${encodeURIComponent("ü %23.ori")}`,
    );
    expect(await odd.text()).toBe("unicode\n");
    const etag = text.headers.get("etag")!;
    expect(
      (await call("/v1/packages/@pipe/raw/1.0.0/files/src/page.ori", { headers: { "if-none-match": etag } })).status,
    ).toBe(304);
    const missing = await call("/v1/packages/@pipe/raw/1.0.0/files/src/nope.ori");
    expect(missing.status).toBe(404);
    expect(await errorCode(missing)).toBe("file_not_found");
  });

  it("is idempotent: a redelivered or duplicated message changes nothing", async () => {
    const { job } = await published("@pipe/twice");
    const result = await deliver([job, job]);
    expect(result.explicitAcks).toHaveLength(2);
    const first = (await record("@pipe/twice", "1.0.0"))!.processing!;
    expect(first.status).toBe("done");
    expect((await deliver([job])).explicitAcks).toHaveLength(1);
    expect((await record("@pipe/twice", "1.0.0"))!.processing).toEqual(first);
  });

  it("retries a fault with backoff, stays pending meanwhile, and succeeds once the fault is gone", async () => {
    const { archive, sha256, job } = await published("@pipe/retry");
    const key = `archives/sha256/${sha256}`;
    await env.BUCKET.delete(key);
    const failed = await deliver([job], { attempts: 2 });
    expect(failed.retryMessages).toHaveLength(1);
    expect(failed.delays).toEqual([20]); // 10 s after the first failure, 20 s after the second, …
    expect((await record("@pipe/retry", "1.0.0"))!.processing!.status).toBe("pending");
    const files = await call("/v1/packages/@pipe/retry/1.0.0/files");
    expect(files.status).toBe(409);
    expect(await errorCode(files)).toBe("version_not_processed");
    await env.BUCKET.put(key, archive);
    expect((await deliver([job], { attempts: 3 })).explicitAcks).toHaveLength(1);
    expect((await record("@pipe/retry", "1.0.0"))!.processing!.status).toBe("done");
  });

  it("records failed with the reason on the last attempt; the dead-letter queue keeps the message for the operator", async () => {
    const { sha256, job } = await published("@pipe/dead");
    await env.BUCKET.delete(`archives/sha256/${sha256}`);
    const last = await deliver([job], { attempts: 6 });
    expect(last.retryMessages).toHaveLength(1); // the queue moves it to the dead-letter queue
    const state = (await record("@pipe/dead", "1.0.0"))!.processing!;
    expect(state.status).toBe("failed");
    expect(state.reason).toMatch(/^gave up after 6 attempts: the archive of @pipe\/dead@1\.0\.0 is missing/);
    const files = await call("/v1/packages/@pipe/dead/1.0.0/files");
    expect(await errorCode(files)).toBe("version_not_processed");

    expect((await deliver([job], { queue: "ori-registry-jobs-dlq" })).explicitAcks).toHaveLength(1);
    const listed = (await (
      await call("/v1/admin/dead-letters", { headers: { authorization: `Bearer ${ADMIN}` } })
    ).json()) as { deadLetters: { job: JobMessage; reason: string | null }[] };
    expect(listed.deadLetters.find((d) => JSON.stringify(d.job) === JSON.stringify(job))?.reason).toBe(state.reason);
    expect((await call("/v1/admin/dead-letters")).status).toBe(401);
  });

  it("refuses stored bytes that are not the logged ones at once, for good (not retried)", async () => {
    const { sha256, job } = await published("@pipe/swapped");
    const other = await buildArchive({ name: "@pipe/swapped", version: "1.0.0", files: { "src/evil.ori": "x\n" } });
    await env.BUCKET.put(`archives/sha256/${sha256}`, other);
    const result = await deliver([job]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toEqual([]);
    const state = (await record("@pipe/swapped", "1.0.0"))!.processing!;
    expect(state.status).toBe("failed");
    expect(state.reason).toContain(`the log holds sha256:${sha256}`);
  });

  it("handles a message an older build sent (version-published) as process-version", async () => {
    const { sha256 } = await published("@pipe/legacy");
    const result = await deliver([{ type: "version-published", name: "@pipe/legacy", version: "1.0.0", sha256 }]);
    expect(result.explicitAcks).toHaveLength(1);
    expect((await record("@pipe/legacy", "1.0.0"))!.processing!.status).toBe("done");
  });

  it("answers 410 for the contents of a removed version, and an admin delete removes what processing derived", async () => {
    const { sha256, job } = await published("@pipe/gone");
    await deliver([job]);
    const del = await call("/v1/packages/@pipe/gone/1.0.0", {
      method: "DELETE",
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
      body: JSON.stringify({ reason: "legal" }),
    });
    expect(del.status).toBe(200);
    expect((await call("/v1/packages/@pipe/gone/1.0.0/files")).status).toBe(410);
    expect((await call("/v1/packages/@pipe/gone/1.0.0/readme")).status).toBe(410);
    expect(await env.BUCKET.head(`processed/sha256/${sha256}/files.json`)).toBeNull();
  });
});
