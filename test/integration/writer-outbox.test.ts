// The PackageWriter's outbox: a crash right after a commit leaves the KV projection and the
// queue jobs it owes in the outbox, and the object's alarm finishes them; a failing effect is
// retried with backoff and parked, never blocking the others; runs never overlap, so KV ends
// on the latest state. Nothing committed is lost; nothing uncommitted is visible.
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { PackageWriter, WriterFault } from "../../src/objects/package-writer";
import { ReadModel } from "../../src/storage/read-model";
import { packageWriterName } from "../../src/storage/keys";
import { buildArchive } from "../helpers/archive-builder";
import { ADMIN, call, publish } from "./helpers";

const writer = (pkg: string) => env.PACKAGE_WRITER.getByName(packageWriterName(pkg));
const fault = (pkg: string, f: WriterFault) =>
  runInDurableObject(writer(pkg), (obj: PackageWriter) => obj.injectFault(f));
const owed = async (pkg: string) =>
  (await writer(pkg).pendingEffects()).map(
    ({ effect: e, attempts }) => `${e.kind === "job" ? e.job.type : e.kind}×${attempts}`,
  );

const alarmAt = (pkg: string) => runInDurableObject(writer(pkg), (_: PackageWriter, state) => state.storage.getAlarm());
const kv = (pkg: string, version: string) => new ReadModel(env.METADATA).findVersion(pkg, version);
const action = (pkg: string, version: string, what: string) =>
  call(`/v1/packages/${pkg}/${version}/${what}`, { method: "POST", headers: { authorization: `Bearer ${ADMIN}` } });

describe("PackageWriter outbox", () => {
  it("finishes a publish's projection and jobs after a crash right after the commit", async () => {
    const pkg = "@outbox/crash";
    await fault(pkg, "crashAfterCommit");
    expect((await publish(pkg, await buildArchive({ name: pkg, version: "1.0.0" }))).status).toBe(500);
    await fault(pkg, null);

    // Committed (the writer has it), but nothing projected yet: the effects wait in the outbox.
    expect((await writer(pkg).findVersion("1.0.0"))?.version).toBe("1.0.0");
    expect(await kv(pkg, "1.0.0")).toBeNull();
    expect(await owed(pkg)).toEqual(["project×0", "dependents×0", "process-version×0", "scan-version×0", "search×0"]);
    expect(await alarmAt(pkg)).not.toBeNull();

    expect(await runDurableObjectAlarm(writer(pkg))).toBe(true);
    expect(await owed(pkg)).toEqual([]);
    expect((await kv(pkg, "1.0.0"))?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await new ReadModel(env.METADATA).findVersionList(pkg))?.versions.map((v) => v.version)).toEqual(["1.0.0"]);

    // The client's retry of the same bytes gets the committed version back.
    const retried = await publish(pkg, await buildArchive({ name: pkg, version: "1.0.0" }));
    expect(retried.status).toBe(200);
  });

  it("finishes a yank's projection after a crash right after the commit, with its own alarm", async () => {
    const pkg = "@outbox/yank";
    expect((await publish(pkg, await buildArchive({ name: pkg, version: "1.0.0" }))).status).toBe(201);
    expect(await owed(pkg)).toEqual([]);
    await runDurableObjectAlarm(writer(pkg)); // the publish's (now idle) alarm
    expect(await alarmAt(pkg)).toBeNull();

    await fault(pkg, "crashAfterCommit");
    expect((await action(pkg, "1.0.0", "yank")).status).toBe(500);
    await fault(pkg, null);
    expect((await kv(pkg, "1.0.0"))?.yanked).toBe(false);
    expect(await alarmAt(pkg)).not.toBeNull();

    expect(await runDurableObjectAlarm(writer(pkg))).toBe(true);
    expect(await owed(pkg)).toEqual([]);
    expect((await kv(pkg, "1.0.0"))?.yanked).toBe(true);
    const versions = (await (await call(`/v1/packages/${pkg}/versions`)).json()) as {
      versions: { version: string; yanked: boolean }[];
    };
    expect(versions.versions).toMatchObject([{ version: "1.0.0", yanked: true }]);
  });

  it("answers a commit whose projection fails, sends its jobs anyway, backs off and parks after 10 failures", async () => {
    const pkg = "@outbox/kvdown";
    await fault(pkg, "failProjection");
    // The commit stands, so the publish succeeds; the jobs behind the failed projection still went.
    expect((await publish(pkg, await buildArchive({ name: pkg, version: "1.0.0" }))).status).toBe(201);
    const [first] = await writer(pkg).pendingEffects();
    expect(first).toMatchObject({ effect: { kind: "project", version: "1.0.0" }, attempts: 1 });
    expect(first!.nextAttemptAt - Date.now()).toBeGreaterThan(30_000); // the first retry after a minute
    const original = async () => (await writer(pkg).pendingEffects()).find((e) => e.id === first!.id);

    // (The queue's version-published job may add repair rows of its own meanwhile: only the
    // original row is followed here.)
    for (let i = 2; i <= 10; i++) {
      await runInDurableObject(writer(pkg), (_: PackageWriter, state) =>
        state.storage.sql.exec("UPDATE outbox SET next_attempt_at = 0"),
      ); // time passes
      expect(await runDurableObjectAlarm(writer(pkg))).toBe(true);
      expect((await original())?.attempts).toBe(i);
    }
    // Parked: kept for an operator, and no longer tried however often the outbox runs.
    await runInDurableObject(writer(pkg), (_: PackageWriter, state) =>
      state.storage.sql.exec("UPDATE outbox SET next_attempt_at = 0"),
    );
    await runDurableObjectAlarm(writer(pkg));
    expect((await original())?.attempts).toBe(10);

    // Once KV is back, the next change's projection covers the parked row too.
    await fault(pkg, null);
    expect((await action(pkg, "1.0.0", "yank")).status).toBe(200);
    expect((await writer(pkg).pendingEffects()).filter((e) => e.effect.kind === "project")).toEqual([]);
    expect((await kv(pkg, "1.0.0"))?.yanked).toBe(true);
  });

  it("answers a publish whose search write fails, retries the write from the alarm until search lists it", async () => {
    const pkg = "@outbox/searchdown";
    const search = async () =>
      (
        (await (await call(`/v1/search?q=${encodeURIComponent(pkg)}`)).json()) as { results: { name: string }[] }
      ).results
        .map((h) => h.name)
        .filter((n) => n === pkg);
    await fault(pkg, "failSearch");
    // Acknowledged = committed and in the log: a SearchIndex that is down does not fail the publish.
    expect((await publish(pkg, await buildArchive({ name: pkg, version: "1.0.0" }))).status).toBe(201);
    expect(await owed(pkg)).toEqual(["search×1"]);
    expect(await search()).toEqual([]);
    expect(await alarmAt(pkg)).not.toBeNull();

    await fault(pkg, null);
    await runInDurableObject(writer(pkg), (_: PackageWriter, state) =>
      state.storage.sql.exec("UPDATE outbox SET next_attempt_at = 0"),
    ); // a minute passes
    expect(await runDurableObjectAlarm(writer(pkg))).toBe(true);
    expect(await owed(pkg)).toEqual([]);
    expect(await search()).toEqual([pkg]);
  });

  it("keeps KV on the latest state when changes race (outbox runs never overlap)", async () => {
    const pkg = "@outbox/race";
    expect((await publish(pkg, await buildArchive({ name: pkg, version: "1.0.0" }))).status).toBe(201);
    // The yank's projection reads its state, then its KV write is held back while the unyank
    // commits: an overlapping run would write "unyanked" first and the stale "yanked" last.
    await fault(pkg, "slowNextProjection");
    const yank = action(pkg, "1.0.0", "yank");
    // Wait until the yank's projection is being held (the fault is consumed when it starts).
    const held = () =>
      runInDurableObject(
        writer(pkg),
        (obj: PackageWriter) => (obj as unknown as { fault: WriterFault }).fault === null,
      );
    for (let i = 0; i < 200 && !(await held()); i++) await scheduler.wait(5);
    const unyank = action(pkg, "1.0.0", "unyank");
    expect([(await yank).status, (await unyank).status]).toEqual([200, 200]);
    // (Whichever request reached the writer last decides; under load that may be the yank.)
    const truth = (await writer(pkg).findVersion("1.0.0"))!.yanked;
    expect((await kv(pkg, "1.0.0"))?.yanked).toBe(truth);
    expect((await new ReadModel(env.METADATA).findVersionList(pkg))?.versions[0]?.yanked).toBe(truth);
    expect(await owed(pkg)).toEqual([]);
  });
});
