// A publish interrupted between the log append and the commit finishes by itself: the writer
// saved its intent before asking the log, and its alarm appends it again (the log dedupes) and
// commits — or drops it, bytes and all, when the log gave the version to other bytes. Crashes
// are injected at each point (writer and sequencer faults); the object is evicted, so nothing
// in memory helps.
import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { PackageWriter, WriterFault } from "../../src/objects/package-writer";
import type { LogSequencer } from "../../src/objects/log-sequencer";
import { LOG_SEQUENCER_NAME, packageWriterName } from "../../src/storage/keys";
import { buildArchive } from "../helpers/archive-builder";
import { call, errorCode, publish, sha256HexOf } from "./helpers";

const writer = (pkg: string) => env.PACKAGE_WRITER.getByName(packageWriterName(pkg));
const fault = (pkg: string, f: WriterFault) =>
  runInDurableObject(writer(pkg), (obj: PackageWriter) => obj.injectFault(f));
const intents = async (pkg: string) =>
  (await writer(pkg).pendingIntents()).map((i) => `${i.version} ${i.sha256.slice(0, 8)}`);
const metadata = async (pkg: string, version: string) => {
  const res = await call(`/v1/packages/${pkg}/${version}/metadata`);
  return {
    status: res.status,
    body: (await res.json()) as { sha256?: string; logIndex?: number; error?: { code: string } },
  };
};
const lookup = async (pkg: string, version: string) => {
  const res = await call(`/v1/log/lookup/${pkg}/${version}`);
  return { status: res.status, body: (await res.json()) as { index?: number; entry?: string } };
};

/** The object dies (memory gone) and its alarm fires in a fresh instance. */
async function crashAndAlarm(pkg: string) {
  await evictDurableObject(writer(pkg));
  expect(await runDurableObjectAlarm(writer(pkg))).toBe(true);
}

describe("a publish interrupted after its log append", () => {
  it("is finished by the writer's alarm: the version appears with the logged checksum and index", async () => {
    const pkg = "@intent/after";
    const archive = await buildArchive({ name: pkg, version: "1.0.0" });
    const sha = await sha256HexOf(archive);
    await fault(pkg, "crashAfterAppend");
    expect((await publish(pkg, archive)).status).toBe(500);

    // The crash leftover: in the log with a proof, but not a version of the package.
    const logged = await lookup(pkg, "1.0.0");
    expect(logged.status).toBe(200);
    expect(logged.body.entry).toBe(`${pkg} 1.0.0 sha256:${sha}\n`);
    expect((await metadata(pkg, "1.0.0")).status).toBe(404);
    expect(await intents(pkg)).toEqual([`1.0.0 ${sha.slice(0, 8)}`]);

    await crashAndAlarm(pkg);
    const meta = await metadata(pkg, "1.0.0");
    expect(meta.status).toBe(200);
    expect(meta.body).toMatchObject({ sha256: sha, logIndex: logged.body.index });
    expect(await intents(pkg)).toEqual([]);
    expect((await call(`/v1/packages/${pkg}/1.0.0/download`)).status).toBe(200);
    // The log has one entry for it, not two; the client's retry gets the committed version.
    const retried = await publish(pkg, archive);
    expect(retried.status).toBe(200);
    expect(((await retried.json()) as { log: { index: number } }).log.index).toBe(logged.body.index);
  });
});

describe("a publish interrupted before its log append", () => {
  it("is appended and committed by the alarm", async () => {
    const pkg = "@intent/before";
    const archive = await buildArchive({ name: pkg, version: "1.0.0" });
    await fault(pkg, "crashBeforeAppend");
    expect((await publish(pkg, archive)).status).toBe(500);
    expect((await lookup(pkg, "1.0.0")).status).toBe(404);

    await crashAndAlarm(pkg);
    expect((await lookup(pkg, "1.0.0")).status).toBe(200);
    expect((await metadata(pkg, "1.0.0")).body.sha256).toBe(await sha256HexOf(archive));
    expect(await intents(pkg)).toEqual([]);
  });
});

describe("a publish whose log flush crashed (sequencer faults)", () => {
  it.each(["sequenceAndStop", "stageAndStop"] as const)(
    "is finished by the writer's alarm after %s",
    async (seqFault) => {
      const pkg = `@intent/${seqFault.toLowerCase()}`;
      const archive = await buildArchive({ name: pkg, version: "1.0.0" });
      await runInDurableObject(env.LOG_SEQUENCER.getByName(LOG_SEQUENCER_NAME), (obj: LogSequencer) =>
        obj.injectFault(seqFault),
      );
      expect((await publish(pkg, archive)).status).toBe(500);
      await runInDurableObject(env.LOG_SEQUENCER.getByName(LOG_SEQUENCER_NAME), (obj: LogSequencer) =>
        obj.injectFault(null),
      );
      expect((await metadata(pkg, "1.0.0")).status).toBe(404);

      await crashAndAlarm(pkg);
      const meta = await metadata(pkg, "1.0.0");
      expect(meta.status).toBe(200);
      expect(meta.body.logIndex).toBe((await lookup(pkg, "1.0.0")).body.index);
    },
  );
});

describe("an interrupted publish that lost its version meanwhile", () => {
  it("is dropped by the alarm, and its bytes leave R2; the winner stays", async () => {
    const pkg = "@intent/lost";
    const mine = await buildArchive({ name: pkg, version: "1.0.0", files: { "src/a.ori": "mine\n" } });
    const theirs = await buildArchive({ name: pkg, version: "1.0.0", files: { "src/a.ori": "theirs\n" } });
    await fault(pkg, "crashBeforeAppend");
    expect((await publish(pkg, mine)).status).toBe(500);
    expect(await env.BUCKET.head(`archives/sha256/${await sha256HexOf(mine)}`)).not.toBeNull();
    // Other bytes take the version before the alarm comes.
    expect((await publish(pkg, theirs)).status).toBe(201);
    expect(await intents(pkg)).toHaveLength(1);

    await crashAndAlarm(pkg);
    expect(await intents(pkg)).toEqual([]);
    expect((await metadata(pkg, "1.0.0")).body.sha256).toBe(await sha256HexOf(theirs));
    expect(await env.BUCKET.head(`archives/sha256/${await sha256HexOf(mine)}`)).toBeNull();
    const again = await publish(pkg, mine);
    expect(again.status).toBe(409);
    expect(await errorCode(again)).toBe("version_exists");
  });
});
