// The PackageWriter's outbox: a crash right after a commit leaves the KV projection and the
// queue jobs it owes in the outbox, and the object's alarm finishes them. Nothing committed is
// lost; nothing uncommitted is visible.
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { PackageWriter } from "../../src/objects/package-writer";
import { ReadModel } from "../../src/storage/read-model";
import { packageWriterName } from "../../src/storage/keys";
import { buildArchive } from "../helpers/archive-builder";
import { ADMIN, call, publish } from "./helpers";

const writer = (pkg: string) => env.PACKAGE_WRITER.getByName(packageWriterName(pkg));
const fault = (pkg: string, f: "crashAfterCommit" | null) => runInDurableObject(writer(pkg), (obj: PackageWriter) => obj.injectFault(f));
const kinds = async (pkg: string) => (await writer(pkg).pendingEffects()).map((e) => (e.kind === "job" ? e.job.type : e.kind));

describe("PackageWriter outbox", () => {
  it("finishes a publish's projection and jobs after a crash right after the commit", async () => {
    const pkg = "@outbox/crash";
    await fault(pkg, "crashAfterCommit");
    expect((await publish(pkg, await buildArchive({ name: pkg, version: "1.0.0" }))).status).toBe(500);
    await fault(pkg, null);

    // Committed (the writer has it), but nothing projected yet: the effects wait in the outbox.
    expect((await writer(pkg).getVersion("1.0.0"))?.version).toBe("1.0.0");
    expect(await new ReadModel(env.METADATA).findVersion(pkg, "1.0.0")).toBeNull();
    expect(await kinds(pkg)).toEqual(["project", "version-published", "reindex-package"]);

    expect(await runDurableObjectAlarm(writer(pkg))).toBe(true);
    expect(await kinds(pkg)).toEqual([]);
    expect((await new ReadModel(env.METADATA).findVersion(pkg, "1.0.0"))?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await new ReadModel(env.METADATA).findVersionList(pkg))?.versions.map((v) => v.version)).toEqual(["1.0.0"]);

    // The client's retry of the same bytes gets the committed version back.
    const retried = await publish(pkg, await buildArchive({ name: pkg, version: "1.0.0" }));
    expect(retried.status).toBe(200);
  });

  it("finishes a yank's projection after a crash right after the commit", async () => {
    const pkg = "@outbox/yank";
    expect((await publish(pkg, await buildArchive({ name: pkg, version: "1.0.0" }))).status).toBe(201);
    expect(await kinds(pkg)).toEqual([]);

    await fault(pkg, "crashAfterCommit");
    const yank = await call(`/v1/packages/${pkg}/1.0.0/yank`, { method: "POST", headers: { authorization: `Bearer ${ADMIN}` } });
    expect(yank.status).toBe(500);
    await fault(pkg, null);
    expect((await new ReadModel(env.METADATA).findVersion(pkg, "1.0.0"))?.yanked).toBe(false);

    expect(await runDurableObjectAlarm(writer(pkg))).toBe(true);
    expect(await kinds(pkg)).toEqual([]);
    expect((await new ReadModel(env.METADATA).findVersion(pkg, "1.0.0"))?.yanked).toBe(true);
    const versions = (await (await call(`/v1/packages/${pkg}/versions`)).json()) as { versions: { version: string; yanked: boolean }[] };
    expect(versions.versions).toMatchObject([{ version: "1.0.0", yanked: true }]);
  });
});
