import { describe, expect, it } from "vitest";
import { auditLock, type KnownVersion } from "./audit";
import { sampleSubmission, semverEntry } from "./fixtures";
import type { OsvRecord } from "./osv";
import { advisoriesAffecting, packageAdvisoryView } from "./summary";
import { buildRecord, splitSubmission } from "./validate";

const SHA = (c: string) => c.repeat(64);

function advisory(id: string, extra: Record<string, unknown> = {}): OsvRecord {
  return buildRecord(splitSubmission(sampleSubmission(extra), "create").content, {
    id,
    published: "2026-01-01T00:00:00Z",
    modified: "2026-01-01T00:00:00Z",
  });
}

const known = (versions: Record<string, Partial<KnownVersion> & { sha256: string }>) =>
  new Map(Object.entries(versions).map(([v, k]) => [v, { yanked: false, removed: false, deleted: false, ...k }]));

describe("auditLock", () => {
  const critical = advisory("ORI-2026-0001");
  const low = advisory("ORI-2026-0002", {
    aliases: [],
    severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N" }],
    affected: [semverEntry("@acme/http", [{ introduced: "1.0.0" }, { fixed: "1.3.0" }])],
  });
  const withdrawn = { ...advisory("ORI-2026-0003"), withdrawn: "2026-02-01T00:00:00Z" };
  const lock = [
    { name: "@acme/http", version: "1.2.0", sha256: SHA("a") },
    { name: "@acme/http", version: "1.2.3", sha256: SHA("b") },
    { name: "@acme/json", version: "1.0.0", sha256: SHA("c") },
    { name: "@acme/json", version: "9.9.9", sha256: SHA("d") },
    { name: "@other/pkg", version: "1.0.0", sha256: SHA("e") },
  ];
  const facts = new Map<string, ReadonlyMap<string, KnownVersion> | null>([
    ["@acme/http", known({ "1.2.0": { sha256: SHA("a") }, "1.2.3": { sha256: SHA("b"), yanked: true } })],
    ["@acme/json", known({ "1.0.0": { sha256: SHA("f") } })],
    ["@other/pkg", null],
  ]);
  const report = auditLock(lock, facts, new Map([["@acme/http", [low, critical, withdrawn]]]));

  it("lists the advisories affecting each exact version, highest score first, with the fix", () => {
    expect(report.entries[0]!.advisories.map((a) => [a.id, a.fixedIn, a.severity[0]?.baseScore])).toEqual([
      ["ORI-2026-0001", "1.2.3", 9.8],
      ["ORI-2026-0002", "1.3.0", 3.1],
    ]);
    expect(report.entries[1]!.advisories.map((a) => a.id)).toEqual(["ORI-2026-0002"]);
  });

  it("never reports a withdrawn advisory", () => {
    expect(report.entries.flatMap((e) => e.advisories.map((a) => a.id))).not.toContain("ORI-2026-0003");
  });

  it("names entries the registry does not know, and checksums that differ from the log's", () => {
    expect(report.entries.map((e) => [e.name, e.version, e.problem, e.loggedSha256])).toEqual([
      ["@acme/http", "1.2.0", null, SHA("a")],
      ["@acme/http", "1.2.3", null, SHA("b")],
      ["@acme/json", "1.0.0", "checksum_mismatch", SHA("f")],
      ["@acme/json", "9.9.9", "unknown_version", null],
      ["@other/pkg", "1.0.0", "unknown_package", null],
    ]);
    expect(report.entries[1]!.yanked).toBe(true);
  });

  it("sums it up", () => {
    expect(report.summary).toEqual({ entries: 5, vulnerable: 2, advisories: 2, unknown: 2, checksumMismatches: 1 });
  });

  it("still matches advisories of packages the registry does not know", () => {
    const r = auditLock(
      [{ name: "@acme/http", version: "1.0.0", sha256: SHA("a") }],
      new Map([["@acme/http", null]]),
      new Map([["@acme/http", [critical]]]),
    );
    expect(r.entries[0]).toMatchObject({ problem: "unknown_package", advisories: [{ id: "ORI-2026-0001" }] });
  });
});

describe("advisory views", () => {
  it("show the package entry's own severity, scored, and every fix of the package", () => {
    const entry = {
      ...semverEntry("@acme/http", [{ introduced: "0" }, { fixed: "1.10.0" }]),
      severity: [{ type: "CVSS_V4", score: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N" }],
    };
    const r = advisory("ORI-2026-0009", { severity: undefined, affected: [entry] });
    expect(advisoriesAffecting([r], "@acme/http", "1.9.0")[0]!.severity).toEqual([
      {
        type: "CVSS_V4",
        vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N",
        baseScore: 8.7,
        baseSeverity: "HIGH",
      },
    ]);
    expect(packageAdvisoryView(r, "@acme/http").fixedVersions).toEqual(["1.10.0"]);
  });
});
