// scan-version and rescan-advisory through the Worker's own queue handler
// (createMessageBatch/getQueueResult): redelivery and duplicates, a fault then a retry with
// backoff, the last attempt and the dead-letter path. The fault is a real one: the container
// backend configured with neither its binding nor a URL (the scan cannot reach a processor), and
// a rescan of a change the advisory database does not have. The queue's own consumer runs the
// publish's scan meanwhile: each test waits for it before it looks at the state it changes.
import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { Env } from "../../src/env";
import type { JobMessage, ScanVersion } from "../../src/jobs/messages";
import type { VersionRecord } from "../../src/domain/package-records";
import { sampleSubmission, semverEntry } from "../../src/advisories/fixtures";
import { buildArchive } from "../helpers/archive-builder";
import { deliver } from "./queue-delivery";
import { ADMIN, call, publish } from "./helpers";

/** The queue's own batches wait up to a second; under load, longer. */
const WAIT = { timeout: 20_000, interval: 100 };
/** No processor: PROCESSING_BACKEND=container without PROCESSOR_CONTAINER or PROCESSOR_URL. */
const unreachable = { ...env, PROCESSING_BACKEND: "container", PROCESSOR_URL: undefined } as Env;

const record = (pkg: string) =>
  env.PACKAGE_WRITER.getByName(`package:${pkg}`).findVersion("1.0.0") as Promise<VersionRecord | null>;

/** Publishes pkg@1.0.0 and waits for the queue's own scan of it. */
async function scanned(pkg: string) {
  expect((await publish(pkg, await buildArchive({ name: pkg, version: "1.0.0" }))).status).toBe(201);
  await vi.waitFor(async () => expect((await record(pkg))!.scan!.status).toBe("done"), WAIT);
  const job: ScanVersion = { type: "scan-version", name: pkg, version: "1.0.0", cause: null, propagate: false };
  return job;
}

async function deadLetters() {
  const res = await call("/v1/admin/dead-letters", { headers: { authorization: `Bearer ${ADMIN}` } });
  return ((await res.json()) as { deadLetters: { job: JobMessage; reason: string | null }[] }).deadLetters;
}

async function advisoryOn(pkg: string) {
  const res = await call("/v1/advisories", {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
    body: JSON.stringify(sampleSubmission({ aliases: [], affected: [semverEntry(pkg, [{ introduced: "0" }])] })),
  });
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: string };
  const history = (await (await call(`/v1/advisories/${id}/history`)).json()) as { history: { seq: number }[] };
  return { id, seq: history.history[history.history.length - 1]!.seq };
}

describe("queue: scan-version", () => {
  it("is idempotent: duplicated and redelivered scans record the same findings", async () => {
    const job = await scanned("@scanq/twice");
    const before = (await record("@scanq/twice"))!.scan!;
    const result = await deliver([job, job]);
    expect(result.explicitAcks).toHaveLength(2);
    expect((await deliver([job])).explicitAcks).toHaveLength(1);
    const after = (await record("@scanq/twice"))!.scan!;
    expect({ ...after, at: null }).toEqual({ ...before, at: null });
  });

  it("retries an unreachable processor with backoff, keeps the state meanwhile, and succeeds once it answers", async () => {
    const job = await scanned("@scanq/retry");
    const failed = await deliver([job], { attempts: 1, env: unreachable });
    expect(failed.retryMessages).toHaveLength(1);
    expect(failed.delays).toEqual([10]);
    expect((await record("@scanq/retry"))!.scan!.status).toBe("done"); // not failed: it is retried
    const third = await deliver([job], { attempts: 3, env: unreachable });
    expect(third.delays).toEqual([40]);
    expect((await deliver([job], { attempts: 4 })).explicitAcks).toHaveLength(1);
    expect((await record("@scanq/retry"))!.scan!.status).toBe("done");
  });

  it("records failed with the reason on the last attempt, keeps the earlier findings, and the dead letter says why", async () => {
    const job = await scanned("@scanq/dead");
    const last = await deliver([job], { attempts: 6, env: unreachable });
    expect(last.retryMessages).toHaveLength(1);
    const scan = (await record("@scanq/dead"))!.scan!;
    expect(scan.status).toBe("failed");
    expect(scan.reason).toMatch(/^gave up after 6 attempts: PROCESSING_BACKEND is container, but there is neither/);
    expect(scan.revision).not.toBeNull(); // the earlier scan's revision and findings stay
    const meta = (await (await call("/v1/packages/@scanq/dead/1.0.0/metadata")).json()) as {
      scan: { status: string; reason: string };
    };
    expect(meta.scan).toMatchObject({ status: "failed", reason: scan.reason });

    expect((await deliver([job], { queue: "ori-registry-jobs-dlq" })).explicitAcks).toHaveLength(1);
    const letter = (await deadLetters()).find((d) => JSON.stringify(d.job) === JSON.stringify(job));
    expect(letter?.reason).toBe(scan.reason);

    // An operator's fix, then the same job again: done.
    expect((await deliver([job])).explicitAcks).toHaveLength(1);
    expect((await record("@scanq/dead"))!.scan!).toMatchObject({ status: "done", reason: null });
  });
});

describe("queue: rescan-advisory", () => {
  it("runs duplicated and redelivered rescans to the same findings", async () => {
    await scanned("@scanq/hit");
    const { id, seq } = await advisoryOn("@scanq/hit");
    const job: JobMessage = { type: "rescan-advisory", stage: "affected", advisory: id, seq };
    const result = await deliver([job, job]);
    expect(result.explicitAcks).toHaveLength(2);
    await vi.waitFor(async () => expect((await record("@scanq/hit"))!.scan!.advisories).toEqual([id]), WAIT);
    expect((await deliver([job])).explicitAcks).toHaveLength(1);
    expect((await record("@scanq/hit"))!.scan!).toMatchObject({ status: "done", revision: seq, advisories: [id] });
  });

  it("retries a change the database does not have, and dead-letters it after the last attempt", async () => {
    const job: JobMessage = { type: "rescan-advisory", stage: "affected", advisory: "ORI-2026-9998", seq: 999_999 };
    const first = await deliver([job]);
    expect(first.retryMessages).toHaveLength(1);
    expect(first.delays).toEqual([10]);
    const last = await deliver([job], { attempts: 6 });
    expect(last.retryMessages).toHaveLength(1);
    expect(last.delays).toEqual([300]); // backoff is capped at five minutes
    expect((await deliver([job], { queue: "ori-registry-jobs-dlq" })).explicitAcks).toHaveLength(1);
    const letter = (await deadLetters()).find((d) => JSON.stringify(d.job) === JSON.stringify(job));
    expect(letter).toMatchObject({ job, reason: null }); // no version's state to take a reason from
  });
});
