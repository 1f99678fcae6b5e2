// A rescan reaches every dependent version whatever happens between its steps: the fan-out a
// scan owes its dependents is committed with its findings (the PackageWriter's outbox), so a
// failed send after the findings were saved, followed by a redelivery, still reaches A; and a
// scan that got to a version first without propagating (a late publish scan) cannot make the
// rescan skip it. The advisory's own rescan is held back (the AdvisoryDatabase "crashes" after
// its commit, so its outbox waits for the alarm) and the jobs are driven here, one by one.
import { env, runDurableObjectAlarm } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sampleSubmission, semverEntry } from "../../src/advisories/fixtures";
import type { OsvRecord } from "../../src/advisories/osv";
import type { Env } from "../../src/env";
import type { JobMessage, ScanVersion } from "../../src/jobs/messages";
import { rescanAdvisory } from "../../src/jobs/rescan-advisory";
import { scanVersion } from "../../src/jobs/scan-version";
import { inlineProcessor } from "../../src/processing/processor";
import { ADVISORY_DATABASE_NAME } from "../../src/storage/keys";
import { ADMIN, call } from "./helpers";
import { deliver } from "./queue-delivery";
import { WAIT, findings, lastChange, publishPinning, record, scanAfterPublish } from "./scan-helpers";

const database = () => env.ADVISORY_DATABASE.getByName(ADVISORY_DATABASE_NAME);

afterEach(async () => {
  await database().injectFault(null);
  await runDurableObjectAlarm(database()); // the held-back effects, so nothing is left owed
});

/** A → B → C, each scanned after its publish (by the queue) before anything else happens. */
async function chain(prefix: string) {
  await publishPinning(`${prefix}/c`);
  await publishPinning(`${prefix}/b`, [`${prefix}/c@1.0.0`]);
  await publishPinning(`${prefix}/a`, [`${prefix}/b@1.0.0`]);
  await vi.waitFor(async () => {
    for (const p of ["a", "b", "c"]) expect((await record(`${prefix}/${p}`))!.scan!.status).toBe("done");
  }, WAIT);
}

/** An advisory on `pkg` committed, with its own rescan held back: returns its id and change. */
async function advisoryHeldBack(pkg: string, alias: string) {
  await database().injectFault("crashAfterCommit");
  const res = await call("/v1/advisories", {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
    body: JSON.stringify(sampleSubmission({ aliases: [alias], affected: [semverEntry(pkg, [{ introduced: "0" }])] })),
  });
  expect(res.status).toBe(500);
  await database().injectFault(null);
  const { id } = (await (await call(`/v1/advisories/${alias}`)).json()) as OsvRecord;
  return { id, seq: await lastChange(id) };
}

/** The jobs one job sends, run here. */
async function sent(job: JobMessage): Promise<JobMessage[]> {
  const out: JobMessage[] = [];
  if (job.type === "rescan-advisory") await rescanAdvisory(env, job, async (jobs) => void out.push(...jobs));
  return out;
}

const reachesA = (prefix: string, id: string) =>
  vi.waitFor(async () => {
    expect((await findings(`${prefix}/a`)).deps).toEqual([
      { dep: `${prefix}/c@1.0.0`, via: [`${prefix}/b@1.0.0`], ids: [`${id} fixed in null`] },
    ]);
  }, WAIT);

describe("a rescan's fan-out", () => {
  it("survives a failed send after B's findings were saved, and the redelivery", async () => {
    await chain("@fanout");
    const { id, seq } = await advisoryHeldBack("@fanout/c", "CVE-2026-7101");
    const [scanC, pageOfC] = await sent({ type: "rescan-advisory", stage: "affected", advisory: id, seq });
    expect(scanC).toMatchObject({ type: "scan-version", name: "@fanout/c" });
    await scanVersion(env, scanC as ScanVersion, inlineProcessor);
    const [scanB] = await sent(pageOfC!);
    expect(scanB).toMatchObject({ type: "scan-version", name: "@fanout/b", propagate: true });

    // The queue refuses every send of this delivery (its isolate could as well have died there).
    const refusing = {
      ...env,
      JOBS: {
        send: () => Promise.reject(new Error("queue down")),
        sendBatch: () => Promise.reject(new Error("queue down")),
      },
    } as unknown as Env;
    await deliver([scanB!], { env: refusing });
    expect((await findings("@fanout/b")).deps.map((d) => d.ids)).toEqual([[`${id} fixed in null`]]);
    await deliver([scanB!], { attempts: 2 }); // the redelivery
    await reachesA("@fanout", id);
  });

  it("is not pre-empted by a scan that reached B first without propagating (a late publish scan)", async () => {
    await chain("@preempt");
    const { id, seq } = await advisoryHeldBack("@preempt/c", "CVE-2026-7102");
    // B's publish scan, delivered late (or again): it reads the new revision and records the finding.
    await scanVersion(env, scanAfterPublish("@preempt/b"), inlineProcessor);
    expect((await record("@preempt/b"))!.scan!.revision).toBe(seq);
    // Then the rescan: C, C's dependents page, B's scan with propagate.
    const [scanC, pageOfC] = await sent({ type: "rescan-advisory", stage: "affected", advisory: id, seq });
    await scanVersion(env, scanC as ScanVersion, inlineProcessor);
    for (const job of await sent(pageOfC!)) await scanVersion(env, job as ScanVersion, inlineProcessor);
    await reachesA("@preempt", id);
  });
});
