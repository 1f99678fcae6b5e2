// scan-version and rescan-advisory inside workerd, over real publishes and real advisories: the
// chain A pins B pins C (an advisory on C reaches B's findings as a direct dependency and A's as
// a transitive one, via B), withdrawal, a diamond found once, findings that never go back to an
// older revision, the reverse-dependency index and GET …/dependents, and a failing scan that
// leaves the publish alone. The jobs are driven here, message by message, with the sends each one
// makes; the queue's own consumer runs the same messages meanwhile (the publish's and the
// advisory's outboxes sent them), so which run of a job applies a change is a race: the tests
// assert what every interleaving ends in (idempotence), and which jobs ran only where no race
// can change it.
import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { sampleSubmission, semverEntry } from "../../src/advisories/fixtures";
import type { OsvRecord } from "../../src/advisories/osv";
import type { VersionRecord } from "../../src/domain/package-records";
import type { JobMessage, ScanVersion } from "../../src/jobs/messages";
import { rescanAdvisory } from "../../src/jobs/rescan-advisory";
import { scanVersion } from "../../src/jobs/scan-version";
import { inlineProcessor } from "../../src/processing/processor";
import { buildArchive } from "../helpers/archive-builder";
import { ADMIN, call, errorCode, publish, sha256HexOf } from "./helpers";

/** The queue's own consumer may be the one that applies a change: its batches wait up to a second. */
const WAIT = { timeout: 20_000, interval: 100 };

const record = (pkg: string, version = "1.0.0") =>
  env.PACKAGE_WRITER.getByName(`package:${pkg}`).findVersion(version) as Promise<VersionRecord | null>;

/** Publishes `pkg@version` pinning `deps` (their real logged checksums in the lock). */
async function publishPinning(pkg: string, deps: string[] = [], version = "1.0.0", dev: string[] = []) {
  const pin = (d: string) => d.slice(0, d.lastIndexOf("@"));
  const ver = (d: string) => d.slice(d.lastIndexOf("@") + 1);
  const lockEntries = await Promise.all(
    [...deps, ...dev].map(async (d) => ({
      name: pin(d),
      version: ver(d),
      sha256: (await record(pin(d), ver(d)))!.sha256,
    })),
  );
  const archive = await buildArchive({
    name: pkg,
    version,
    dependencies: Object.fromEntries(deps.map((d) => [pin(d), ver(d)])),
    devDependencies: Object.fromEntries(dev.map((d) => [pin(d), ver(d)])),
    lockEntries,
  });
  const res = await publish(pkg, archive);
  expect(res.status, await res.clone().text()).toBe(201);
  return sha256HexOf(archive);
}

/** Runs jobs and every job they send, breadth first; returns each job run, in order. */
async function drain(first: JobMessage[]): Promise<JobMessage[]> {
  const queue = [...first];
  const ran: JobMessage[] = [];
  const send = async (jobs: JobMessage[]) => {
    queue.push(...jobs);
  };
  while (queue.length > 0) {
    const job = queue.shift()!;
    ran.push(job);
    if (job.type === "scan-version") await scanVersion(env, job, inlineProcessor, send);
    else if (job.type === "rescan-advisory") await rescanAdvisory(env, job, send);
    if (ran.length > 500) throw new Error("the fan-out does not end");
  }
  return ran;
}

const scanAfterPublish = (name: string, version = "1.0.0"): ScanVersion => ({
  type: "scan-version",
  name,
  version,
  cause: null,
  propagate: false,
});

async function createAdvisory(affected: Record<string, unknown>[]): Promise<OsvRecord> {
  const res = await call("/v1/advisories", {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
    body: JSON.stringify(sampleSubmission({ aliases: [], affected })),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as OsvRecord;
}

async function lastChange(id: string): Promise<number> {
  const history = (await (await call(`/v1/advisories/${id}/history`)).json()) as { history: { seq: number }[] };
  return history.history[history.history.length - 1]!.seq;
}

const findings = async (pkg: string) => {
  const scan = (await record(pkg))!.scan!;
  return {
    status: scan.status,
    own: scan.advisories,
    deps: scan.dependencyAdvisories.map((d) => ({
      dep: `${d.name}@${d.version}`,
      via: d.via,
      ids: d.advisories.map((a) => `${a.id} fixed in ${a.fixedIn}`),
    })),
  };
};

describe("scan-version and rescan-advisory over a chain A → B → C", () => {
  it("scans each version after its publish, then an advisory on C reaches B directly and A through B; a withdrawal takes it back", async () => {
    await publishPinning("@chain/c");
    await publishPinning("@chain/b", ["@chain/c@1.0.0"]);
    await publishPinning("@chain/a", ["@chain/b@1.0.0"]);
    await drain([scanAfterPublish("@chain/c"), scanAfterPublish("@chain/b"), scanAfterPublish("@chain/a")]);
    for (const pkg of ["@chain/a", "@chain/b", "@chain/c"])
      expect(await findings(pkg)).toEqual({ status: "done", own: [], deps: [] });

    const advisory = await createAdvisory([semverEntry("@chain/c", [{ introduced: "0" }, { fixed: "1.0.1" }])]);
    const seq = await lastChange(advisory.id);
    const ran = await drain([{ type: "rescan-advisory", stage: "affected", advisory: advisory.id, seq }]);
    // C is scanned and its dependents page lists B; B's findings change, so whichever run of B's
    // scan applied that (this one or the queue's) sends the page that lists A.
    expect(ran.filter((j) => j.type === "scan-version").map((j) => (j as ScanVersion).name)).toEqual(
      expect.arrayContaining(["@chain/c", "@chain/b"]),
    );
    await vi.waitFor(async () => {
      expect(await findings("@chain/c")).toEqual({ status: "done", own: [advisory.id], deps: [] });
      expect(await findings("@chain/b")).toEqual({
        status: "done",
        own: [],
        deps: [{ dep: "@chain/c@1.0.0", via: [], ids: [`${advisory.id} fixed in 1.0.1`] }],
      });
      expect(await findings("@chain/a")).toEqual({
        status: "done",
        own: [],
        deps: [{ dep: "@chain/c@1.0.0", via: ["@chain/b@1.0.0"], ids: [`${advisory.id} fixed in 1.0.1`] }],
      });
    }, WAIT);
    for (const pkg of ["@chain/a", "@chain/b", "@chain/c"]) expect((await record(pkg))!.scan!.revision).toBe(seq);
    const meta = (await (await call("/v1/packages/@chain/a/1.0.0/metadata")).json()) as {
      scan: { status: string; revision: number };
      dependencyAdvisories: { name: string; advisories: { id: string }[] }[];
    };
    expect(meta.scan).toMatchObject({ status: "done", revision: seq });
    expect(meta.dependencyAdvisories.map((d) => [d.name, d.advisories.map((a) => a.id)])).toEqual([
      ["@chain/c", [advisory.id]],
    ]);

    // A redelivered rescan sends C's scan and B's (from C's dependents page), and both find their
    // version already at that change: nothing changes, so no scan of A is sent.
    const again = await drain([{ type: "rescan-advisory", stage: "affected", advisory: advisory.id, seq }]);
    expect(again.filter((j) => j.type === "scan-version").map((j) => (j as ScanVersion).name)).toEqual([
      "@chain/c",
      "@chain/b",
    ]);

    const withdraw = await call(`/v1/advisories/${advisory.id}/withdraw`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
      body: JSON.stringify({ reason: "not a vulnerability" }),
    });
    expect(withdraw.status).toBe(200);
    const withdrawn = await lastChange(advisory.id);
    await drain([{ type: "rescan-advisory", stage: "affected", advisory: advisory.id, seq: withdrawn }]);
    await vi.waitFor(async () => {
      for (const pkg of ["@chain/a", "@chain/b", "@chain/c"]) {
        expect(await findings(pkg)).toEqual({ status: "done", own: [], deps: [] });
        expect((await record(pkg))!.scan!.revision).toBe(withdrawn);
      }
    }, WAIT);
  });

  it("stops where the pins stop: a version pinning the fixed C is scanned and, unchanged, goes no further", async () => {
    await publishPinning("@stop/c");
    await publishPinning("@stop/c", [], "1.0.1");
    await publishPinning("@stop/b", ["@stop/c@1.0.1"]);
    await publishPinning("@stop/a", ["@stop/b@1.0.0"]);
    await drain(["@stop/c", "@stop/b", "@stop/a"].map((p) => scanAfterPublish(p)));
    const advisory = await createAdvisory([semverEntry("@stop/c", [{ introduced: "0" }, { fixed: "1.0.1" }])]);
    const ran = await drain([
      { type: "rescan-advisory", stage: "affected", advisory: advisory.id, seq: await lastChange(advisory.id) },
    ]);
    // Only C@1.0.0 is affected, and nothing pins it: B (on the fixed 1.0.1) and A are never scanned.
    expect(
      ran
        .filter((j) => j.type === "scan-version")
        .map((j) => `${(j as ScanVersion).name}@${(j as ScanVersion).version}`),
    ).toEqual(["@stop/c@1.0.0"]);
    expect(await findings("@stop/b")).toEqual({ status: "done", own: [], deps: [] });
  });

  it("finds a diamond's advisory once, and counts dev-dependencies of the version itself only", async () => {
    await publishPinning("@dia/d");
    await publishPinning("@dia/l", ["@dia/d@1.0.0"]);
    await publishPinning("@dia/r", ["@dia/d@1.0.0"]);
    await publishPinning("@dia/top", ["@dia/l@1.0.0", "@dia/r@1.0.0"]);
    await publishPinning("@dia/tool", [], "1.0.0", ["@dia/d@1.0.0"]);
    await publishPinning("@dia/user", ["@dia/tool@1.0.0"]);
    const advisory = await createAdvisory([semverEntry("@dia/d", [{ introduced: "0" }])]);
    const seq = await lastChange(advisory.id);
    await drain([{ type: "rescan-advisory", stage: "affected", advisory: advisory.id, seq }]);
    await vi.waitFor(async () => {
      // Reached by two paths (L and R), found once, by the first path in pin order.
      expect((await findings("@dia/top")).deps).toEqual([
        { dep: "@dia/d@1.0.0", via: ["@dia/l@1.0.0"], ids: [`${advisory.id} fixed in null`] },
      ]);
      expect((await findings("@dia/tool")).deps).toEqual([
        { dep: "@dia/d@1.0.0", via: [], ids: [`${advisory.id} fixed in null`] },
      ]);
      // @dia/user pins tool, whose dev-dependency on D it never downloads: scanned (tool's
      // findings changed), and nothing found.
      expect((await record("@dia/user"))!.scan!.revision).toBe(seq);
    }, WAIT);
    expect((await record("@dia/tool"))!.scan!.dependencyAdvisories[0]!.dev).toBe(true);
    expect((await findings("@dia/user")).deps).toEqual([]);
  });

  it("never lets findings read at an older advisory revision replace newer ones", async () => {
    await publishPinning("@order/x");
    const { sha256 } = (await record("@order/x"))!;
    const writer = env.PACKAGE_WRITER.getByName("package:@order/x");
    await writer.recordScan("1.0.0", sha256, {
      status: "done",
      reason: null,
      revision: 10,
      advisories: ["ORI-2026-9999"],
      dependencyAdvisories: [],
    });
    const late = await writer.recordScan("1.0.0", sha256, {
      status: "done",
      reason: null,
      revision: 9,
      advisories: [],
      dependencyAdvisories: [],
    });
    expect(late.applied).toBe(false);
    expect((await record("@order/x"))!.scan!.advisories).toEqual(["ORI-2026-9999"]);
  });

  it("leaves the publish alone when a scan fails: the version is served, the scan retried", async () => {
    await publishPinning("@fail/x");
    const broken = { ...inlineProcessor, scan: () => Promise.reject(new Error("the container is unreachable")) };
    await expect(scanVersion(env, scanAfterPublish("@fail/x"), broken)).rejects.toThrow("unreachable");
    expect((await call("/v1/packages/@fail/x/1.0.0/download")).status).toBe(200);
    const meta = (await (await call("/v1/packages/@fail/x/1.0.0/metadata")).json()) as { scan: { status: string } };
    expect(meta.scan.status).toMatch(/^(pending|done)$/); // the queue's own run may have scanned it meanwhile
  });
});

describe("GET /v1/packages/:scope/:name/dependents", () => {
  it("lists the versions that pin the package, per version, paged, and forgets a deleted one", async () => {
    await publishPinning("@dep/lib");
    await publishPinning("@dep/lib", [], "2.0.0");
    await publishPinning("@dep/app", ["@dep/lib@1.0.0"]);
    await publishPinning("@dep/app", ["@dep/lib@2.0.0"], "1.1.0");
    await publishPinning("@dep/tool", [], "1.0.0", ["@dep/lib@2.0.0"]);
    const all = (await (await call("/v1/packages/@dep/lib/dependents")).json()) as {
      dependents: { name: string; version: string; dependsOn: string; kind: string }[];
    };
    expect(all.dependents).toEqual([
      { name: "@dep/app", version: "1.0.0", dependsOn: "1.0.0", kind: "runtime" },
      { name: "@dep/app", version: "1.1.0", dependsOn: "2.0.0", kind: "runtime" },
      { name: "@dep/tool", version: "1.0.0", dependsOn: "2.0.0", kind: "dev" },
    ]);
    const one = (await (await call("/v1/packages/@dep/lib/dependents?version=2.0.0&limit=1")).json()) as {
      dependents: { name: string }[];
      next_page_token: string;
    };
    expect(one.dependents.map((d) => d.name)).toEqual(["@dep/app"]);
    const next = (await (
      await call(`/v1/packages/@dep/lib/dependents?version=2.0.0&limit=1&page_token=${one.next_page_token}`)
    ).json()) as { dependents: { name: string }[]; next_page_token?: string };
    expect(next.dependents.map((d) => d.name)).toEqual(["@dep/tool"]);
    expect(next.next_page_token).toBeUndefined();

    const del = await call("/v1/packages/@dep/app/1.0.0", {
      method: "DELETE",
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
      body: JSON.stringify({ reason: "legal" }),
    });
    expect(del.status).toBe(200);
    const after = (await (await call("/v1/packages/@dep/lib/dependents?version=1.0.0")).json()) as {
      dependents: unknown[];
    };
    expect(after.dependents).toEqual([]);
  });

  it.each([
    ["/v1/packages/@dep/nobody/dependents", 404, "package_not_found"],
    ["/v1/packages/@dep/lib/dependents?version=v1", 400, "invalid_version"],
    ["/v1/packages/@dep/lib/dependents?limit=0", 400, "bad_request"],
    ["/v1/packages/@dep/lib/dependents?limit=501", 400, "bad_request"],
    ["/v1/packages/@dep/lib/dependents?page_token=garbage!", 400, "bad_request"],
  ])("refuses %s with %i %s", async (path, status, code) => {
    const res = await call(path);
    expect(res.status).toBe(status);
    expect(await errorCode(res)).toBe(code);
  });
});
