// POST /v1/audit: an oripk.lock in, per entry the advisories affecting that exact version, plus
// the entries the registry does not know and the checksums that differ from the log's.
import { env, listDurableObjectIds } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { packageWriterName, versionListKey } from "../../src/storage/keys";
import { ReadModel } from "../../src/storage/read-model";
import type { AuditReport } from "../../src/advisories/audit";
import type { OsvRecord } from "../../src/advisories/osv";
import { buildArchive } from "../helpers/archive-builder";
import { ADMIN, call, errorCode, publish, sha256HexOf } from "./helpers";
import { json } from "./access-helpers";
import { createAdvisory, lockOf, sampleSubmission, semverEntry } from "./advisory-helpers";

const sha: Record<string, string> = {};
let advisory: OsvRecord;

beforeAll(async () => {
  for (const [name, version] of [
    ["@aud/http", "1.0.0"],
    ["@aud/http", "1.2.3"],
    ["@aud/json", "2.0.0"],
  ] as const) {
    const archive = await buildArchive({ name, version });
    expect((await publish(name, archive)).status).toBe(201);
    sha[`${name}:${version}`] = await sha256HexOf(archive);
  }
  advisory = await createAdvisory(
    sampleSubmission({
      aliases: ["CVE-2026-8000"],
      affected: [semverEntry("@aud/http", [{ introduced: "0" }, { fixed: "1.2.3" }])],
    }),
  );
});

function audit(body: string, type = "text/plain"): Promise<Response> {
  return call("/v1/audit", { method: "POST", headers: { "content-type": type }, body });
}

describe("POST /v1/audit", () => {
  it("reports each entry: vulnerable, clean, unknown, or with a checksum the log does not have", async () => {
    const lock = lockOf([
      ["@aud/http", "1.0.0", sha["@aud/http:1.0.0"]!],
      ["@aud/http", "1.2.3", sha["@aud/http:1.2.3"]!],
      ["@aud/json", "2.0.0", "0".repeat(64)],
      ["@aud/json", "9.0.0", "1".repeat(64)],
      ["@aud/nothing", "1.0.0", "2".repeat(64)],
    ]);
    const res = await audit(lock);
    expect(res.status).toBe(200);
    const report = (await res.json()) as AuditReport;
    expect(report.summary).toEqual({ entries: 5, vulnerable: 1, advisories: 1, unknown: 2, checksumMismatches: 1 });
    expect(
      report.entries.map((e) => [
        e.name,
        e.version,
        e.problem,
        e.advisories.map((a) => [a.id, a.fixedIn, a.severity[0]?.baseScore]),
      ]),
    ).toEqual([
      ["@aud/http", "1.0.0", null, [[advisory.id, "1.2.3", 9.8]]],
      ["@aud/http", "1.2.3", null, []],
      ["@aud/json", "2.0.0", "checksum_mismatch", []],
      ["@aud/json", "9.0.0", "unknown_version", []],
      ["@aud/nothing", "1.0.0", "unknown_package", []],
    ]);
    expect(report.entries[2]!.loggedSha256).toBe(sha["@aud/json:2.0.0"]);
    // Asking about a package that does not exist leaves no storage behind.
    const ghost = env.PACKAGE_WRITER.idFromName(packageWriterName("@aud/nothing")).toString();
    expect((await listDurableObjectIds(env.PACKAGE_WRITER)).map((id) => id.toString())).not.toContain(ghost);
  });

  it("takes the lock as JSON {lockfile} too", async () => {
    const res = await audit(
      JSON.stringify({ lockfile: lockOf([["@aud/http", "1.0.0", sha["@aud/http:1.0.0"]!]]) }),
      "application/json",
    );
    expect(((await res.json()) as AuditReport).summary.vulnerable).toBe(1);
  });

  it("stops reporting an advisory once it is withdrawn", async () => {
    const other = await createAdvisory(
      sampleSubmission({ aliases: [], affected: [semverEntry("@aud/json", [{ introduced: "0" }])] }),
    );
    const lock = lockOf([["@aud/json", "2.0.0", sha["@aud/json:2.0.0"]!]]);
    expect(((await (await audit(lock)).json()) as AuditReport).summary.vulnerable).toBe(1);
    await json("POST", `/v1/advisories/${other.id}/withdraw`, ADMIN, { reason: "false positive" });
    expect(((await (await audit(lock)).json()) as AuditReport).summary).toMatchObject({
      vulnerable: 0,
      checksumMismatches: 0,
    });
  });

  // The isolate keeps version lists 5 s and parsed records per database revision (issue 13's
  // figure): neither may hide a change made through this isolate, nor a version published since.
  it("shows a yank, a removal, a new version and a new advisory in the very next audit", async () => {
    const name = "@aud/fresh";
    const first = await buildArchive({ name, version: "1.0.0" });
    expect((await publish(name, first)).status).toBe(201);
    const lock1 = lockOf([[name, "1.0.0", await sha256HexOf(first)]]);
    const entry = async (lock: string) => ((await (await audit(lock)).json()) as AuditReport).entries[0]!;
    expect(await entry(lock1)).toMatchObject({ problem: null, yanked: false, removed: false, advisories: [] });
    await json("POST", `/v1/packages/${name}/1.0.0/yank`, ADMIN, {});
    expect(await entry(lock1)).toMatchObject({ problem: null, yanked: true, removed: false });
    await json("POST", `/v1/packages/${name}/1.0.0/remove`, ADMIN, { reason: "malware" });
    expect(await entry(lock1)).toMatchObject({ yanked: true, removed: true });
    const second = await buildArchive({ name, version: "1.1.0" });
    expect((await publish(name, second)).status).toBe(201);
    const lock2 = lockOf([[name, "1.1.0", await sha256HexOf(second)]]);
    expect(await entry(lock2)).toMatchObject({ problem: null, yanked: false });
    const fresh = await createAdvisory(
      sampleSubmission({ aliases: [], affected: [semverEntry(name, [{ introduced: "1.1.0" }])] }),
    );
    expect((await entry(lock2)).advisories.map((a) => a.id)).toEqual([fresh.id]);
  });

  it("reads a kept version list again when it lacks a version the lock names (another isolate published it)", async () => {
    const name = "@aud/later";
    const first = await buildArchive({ name, version: "1.0.0" });
    const second = await buildArchive({ name, version: "1.1.0" });
    expect((await publish(name, first)).status).toBe(201);
    const before = await env.METADATA.get(versionListKey(name));
    expect((await publish(name, second)).status).toBe(201);
    const after = await env.METADATA.get(versionListKey(name));
    // This isolate keeps the list from before the second publish, as one that never saw it would.
    await env.METADATA.put(versionListKey(name), before!);
    await new ReadModel(env.METADATA).recentVersionLists([name]);
    await env.METADATA.put(versionListKey(name), after!);
    const lock = lockOf([[name, "1.1.0", await sha256HexOf(second)]]);
    expect(((await (await audit(lock)).json()) as AuditReport).entries[0]).toMatchObject({ problem: null });
  });

  it.each([
    ["a lock that is not TOML", "not toml ["],
    ["a range in a key", '[checksums]\n"@aud/http:^1.0.0" = "sha256:' + "a".repeat(64) + '"\n'],
    ["another digest", '[checksums]\n"@aud/http:1.0.0" = "md5:abc"\n'],
  ])("refuses %s with 400 invalid_lockfile", async (_n, body) => {
    const res = await audit(body);
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe("invalid_lockfile");
  });

  it("refuses other media types, an empty body, and bytes that are not UTF-8", async () => {
    expect(await errorCode(await audit("x", "image/png"))).toBe("unsupported_media_type");
    expect(
      await errorCode(await call("/v1/audit", { method: "POST", headers: { "content-type": "text/plain" } })),
    ).toBe("bad_request");
    expect(
      await errorCode(
        await call("/v1/audit", {
          method: "POST",
          headers: { "content-type": "text/plain" },
          body: new Uint8Array([0xff, 0xfe, 0x00]),
        }),
      ),
    ).toBe("invalid_lockfile");
  });

  it("an empty [checksums] table is a clean audit", async () => {
    expect(((await (await audit("[checksums]\n")).json()) as AuditReport).summary).toEqual({
      entries: 0,
      vulnerable: 0,
      advisories: 0,
      unknown: 0,
      checksumMismatches: 0,
    });
  });
});
