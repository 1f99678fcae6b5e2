// A miss costs no storage: anyone may ask for any package or scope name, so reading a name that
// does not exist must not leave a Durable Object database behind (PackageWriter, ScopeOwnership),
// and neither must a write refused before it changed anything. workerd creates an object's
// SQLite file as soon as its code touches `ctx.storage` (a read too), so such names must not
// reach their object at all: listDurableObjectIds lists the objects that have a database. Rate-
// limit counters, which every request writes, delete their data once their window is over.
// (test/e2e/server.test.ts checks the same on the real dev server's disk.)
import { env, listDurableObjectIds, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { forgetNameMarkersSeen } from "../../src/services/transparency-log";
import { LOG_NAMES_COMPLETE_KEY, packageWriterName, rateLimitName, scopeOwnershipName } from "../../src/storage/keys";
import { buildArchive } from "../helpers/archive-builder";
import { ADMIN, call, errorCode, publish } from "./helpers";
import { createUser, json } from "./access-helpers";

/** What a Durable Object holds: its SQLite tables and its alarm (touching it creates its file). */
async function stored(stub: DurableObjectStub): Promise<{ tables: string[]; alarm: number | null }> {
  return runInDurableObject(stub, async (_obj: unknown, state) => ({
    tables: state.storage.sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master")
      .toArray()
      .map((r) => r.name),
    alarm: await state.storage.getAlarm(),
  }));
}

/** Whether the object has a database at all (without touching it). */
async function hasDatabase<T extends Rpc.DurableObjectBranded>(
  ns: DurableObjectNamespace<T>,
  name: string,
): Promise<boolean> {
  const id = ns.idFromName(name).toString();
  return (await listDurableObjectIds(ns)).some((known) => known.toString() === id);
}
const writerOf = (pkg: string) => hasDatabase(env.PACKAGE_WRITER, packageWriterName(pkg));
const scopeOf = (scope: string) => hasDatabase(env.SCOPE_OWNERSHIP, scopeOwnershipName(scope));

describe("reads of names that do not exist", () => {
  it("leave no database for the package's writer or the scope's ownership object", async () => {
    const reads = [
      "/v1/packages/@ghost/pkg/versions",
      "/v1/packages/@ghost/pkg/1.0.0/metadata",
      "/v1/packages/@ghost/pkg/1.0.0/download",
      "/v1/packages/@ghost/pkg/owners",
      "/v1/scopes/@ghost/members",
      "/v1/log/lookup/@ghost/pkg/1.0.0",
    ];
    for (const path of reads) expect((await call(path)).status, path).toBe(404);
    expect(await writerOf("@ghost/pkg")).toBe(false);
    expect(await scopeOf("@ghost")).toBe(false);
  });

  it("and neither do writes refused before they changed anything", async () => {
    const user = await createUser("miss-writer");
    // Yank, removal, owners, transfer, audit and members of a package or scope that does not
    // exist; a publish whose archive is refused.
    expect((await json("POST", "/v1/packages/@ghost2/pkg/1.0.0/yank", user)).status).toBe(403);
    expect((await json("POST", "/v1/packages/@ghost2/pkg/1.0.0/remove", ADMIN, { reason: "x" })).status).toBe(404);
    expect((await json("POST", "/v1/packages/@ghost2/pkg/owners", user, { username: "miss-writer" })).status).toBe(403);
    expect((await json("POST", "/v1/packages/@ghost2/pkg/transfer", ADMIN, { cancel: true })).status).toBe(404);
    expect((await json("GET", "/v1/packages/@ghost2/pkg/audit", ADMIN)).status).toBe(404);
    expect((await json("POST", "/v1/scopes/@ghost2/members", user, { username: "miss-writer" })).status).toBe(404);
    expect((await publish("@ghost2/pkg", new Uint8Array([1, 2, 3]), user)).status).toBe(400);
    // Pins of packages nobody published are refused without creating their objects.
    const pins = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`@ghost-dep/p${i}`, "1.0.0"]));
    const pinned = await publish(
      "@ghost2/pkg",
      await buildArchive({ name: "@ghost2/pkg", version: "1.0.0", dependencies: pins }),
      user,
    );
    expect(pinned.status).toBe(400);
    expect(await errorCode(pinned)).toBe("dependency_not_found");
    for (const dep of Object.keys(pins)) expect(await writerOf(dep), dep).toBe(false);
    expect(await writerOf("@ghost2/pkg")).toBe(false);
    expect(await scopeOf("@ghost2")).toBe(false);
  });

  it("while a real publish does store (the check can see storage), and its reads still answer", async () => {
    expect((await publish("@ghost3/pkg", await buildArchive({ name: "@ghost3/pkg", version: "1.0.0" }))).status).toBe(
      201,
    );
    expect(await writerOf("@ghost3/pkg")).toBe(true);
    expect(await scopeOf("@ghost3")).toBe(true);
    // A known package's missing version, and a known scope's other package: still no new object.
    expect((await call("/v1/packages/@ghost3/pkg/9.9.9/metadata")).status).toBe(404);
    expect((await call("/v1/packages/@ghost3/other/versions")).status).toBe(404);
    expect(await writerOf("@ghost3/other")).toBe(false);
    expect((await call("/v1/scopes/@ghost3/members")).status).toBe(200);
  });

  it("of a package an object once touched answer from nothing, and store nothing (tables come with the first write)", async () => {
    const stub = env.PACKAGE_WRITER.getByName(packageWriterName("@ghost4/pkg"));
    expect(await stub.listVersions()).toEqual([]);
    expect(await stub.owners()).toEqual([]);
    expect(await stub.auditTrail()).toEqual([]);
    expect(await stub.pendingEffects()).toEqual([]);
    await stub.reproject();
    expect(await stored(stub)).toEqual({ tables: [], alarm: null });
    const scope = env.SCOPE_OWNERSHIP.getByName(scopeOwnershipName("@ghost4"));
    expect(await scope.listMembers()).toEqual([]);
    expect(await scope.findRole("anyone")).toBeNull();
    expect(await stored(scope)).toEqual({ tables: [], alarm: null });
  });
});

/** A request counted on the counter at once (not a read, which is sent in batches). */
const counted = (ip: string) =>
  call("/v1/audit", {
    method: "POST",
    headers: { "cf-connecting-ip": ip, "content-type": "text/plain" },
    body: "[checksums]\n",
  });

describe("the log's name markers", () => {
  // Reads of names ask R2's markers, never the one LogSequencer: a flood of reads of missing
  // names cannot queue in front of publishes (and a miss in R2 stores nothing either).
  it("are what a read that misses KV asks, not the sequencer", async () => {
    const pkg = "@marker/pkg";
    expect((await publish(pkg, await buildArchive({ name: pkg, version: "1.0.0" }))).status).toBe(201);
    expect(await env.BUCKET.head(`names/${pkg}`)).not.toBeNull();
    expect(await env.BUCKET.head("names/@marker")).not.toBeNull();
    // Without its KV list and its marker the package is, to a read, a name nobody published —
    // though the sequencer still knows it.
    for (const key of [`pkg:${pkg}:versions`, `pkg:${pkg}:v:1.0.0`]) await env.METADATA.delete(key);
    await env.BUCKET.delete(`names/${pkg}`);
    expect(await errorCode(await call(`/v1/packages/${pkg}/versions`))).toBe("package_not_found");
    // A version's metadata and download neither (they asked the sequencer's entry lookup before).
    expect(await errorCode(await call(`/v1/packages/${pkg}/1.0.0/metadata`))).toBe("package_not_found");
    expect(await errorCode(await call(`/v1/packages/${pkg}/1.0.0/download`))).toBe("package_not_found");
    expect(await env.LOG_SEQUENCER.getByName("log").knows(pkg)).toBe(true);
  });

  it("are written again by the sequencer's alarm for a log older than them", async () => {
    const pkg = "@marker/old";
    expect((await publish(pkg, await buildArchive({ name: pkg, version: "1.0.0" }))).status).toBe(201);
    const sequencer = env.LOG_SEQUENCER.getByName("log");
    await env.BUCKET.delete(`names/${pkg}`);
    await runInDurableObject(sequencer, (_obj: unknown, state) =>
      state.storage.sql.exec("UPDATE names_marked SET through = 0"),
    );
    await runInDurableObject(sequencer, (obj: { alarm(): Promise<void> }) => obj.alarm());
    expect(await env.BUCKET.head(`names/${pkg}`)).not.toBeNull();
  });

  it("are not trusted to say 'missing' until they cover the whole log: till then reads ask the sequencer", async () => {
    const pkg = "@legacy/pkg";
    expect((await publish(pkg, await buildArchive({ name: pkg, version: "1.0.0" }))).status).toBe(201);
    expect(await env.BUCKET.head(LOG_NAMES_COMPLETE_KEY)).not.toBeNull();
    // A log older than the markers: none for this package, no names-complete marker, nothing in KV.
    for (const key of [`pkg:${pkg}:versions`, `pkg:${pkg}:v:1.0.0`]) await env.METADATA.delete(key);
    await env.BUCKET.delete([`names/${pkg}`, "names/@legacy", LOG_NAMES_COMPLETE_KEY]);
    await runInDurableObject(env.LOG_SEQUENCER.getByName("log"), (_obj: unknown, state) =>
      state.storage.sql.exec("UPDATE names_marked SET through = 0"),
    );
    forgetNameMarkersSeen();
    const list = await call(`/v1/packages/${pkg}/versions`);
    expect(list.status).toBe(200);
    await list.arrayBuffer();
    // A name nobody published is still refused, and still leaves nothing behind.
    expect(await errorCode(await call("/v1/packages/@legacy/nothing/versions"))).toBe("package_not_found");
    expect(await writerOf("@legacy/nothing")).toBe(false);
    // Asking woke the sequencer: it writes the missing markers, then names-complete.
    for (let i = 0; i < 100 && !(await env.BUCKET.head(LOG_NAMES_COMPLETE_KEY)); i++) await scheduler.wait(20);
    expect(await env.BUCKET.head(`names/${pkg}`)).not.toBeNull();
    expect(await env.BUCKET.head(LOG_NAMES_COMPLETE_KEY)).not.toBeNull();
  });
});

describe("rate-limit counters", () => {
  it("delete their storage once their window is over", async () => {
    const ip = "198.51.100.77";
    expect((await counted(ip)).status).toBe(200);
    const counter = env.RATE_LIMIT_COUNTER.getByName(rateLimitName(`ip:${ip}`));
    const during = await stored(counter);
    expect(during.tables).toContain("counts");
    expect(during.alarm).not.toBeNull();
    // Time passes: the window the row counted is over.
    await runInDurableObject(counter, (_obj: unknown, state) =>
      state.storage.sql.exec("UPDATE counts SET window = window - 2"),
    );
    expect(await runDurableObjectAlarm(counter)).toBe(true);
    expect((await stored(counter)).tables.filter((t) => t === "counts")).toEqual([]);
  });

  it("keep counting a window that is still on", async () => {
    const ip = "198.51.100.78";
    expect((await counted(ip)).status).toBe(200);
    const counter = env.RATE_LIMIT_COUNTER.getByName(rateLimitName(`ip:${ip}`));
    expect(await runDurableObjectAlarm(counter)).toBe(true);
    const after = await counted(ip);
    // (A new minute may have begun meanwhile; then the count starts again, truthfully.)
    expect(["98", "99"]).toContain(after.headers.get("x-ratelimit-remaining"));
    expect((await stored(counter)).alarm).not.toBeNull();
  });
});
