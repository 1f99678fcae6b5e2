import { describe, expect, it } from "vitest";
import { semverEntry } from "../advisories/fixtures";
import type { OsvRecord } from "../advisories/osv";
import { scanVersion } from "./scan";

function record(id: string, affected: Record<string, unknown>[], extra: Partial<OsvRecord> = {}): OsvRecord {
  return {
    schema_version: "1.7.5",
    id,
    modified: "2026-11-28T12:00:00Z",
    published: "2026-11-28T12:00:00Z",
    summary: `${id} summary`,
    affected,
    ...extra,
  } as OsvRecord;
}

const onC = record("ORI-2026-0001", [semverEntry("@x/c", [{ introduced: "0" }, { fixed: "1.0.1" }])]);
const onA = record("ORI-2026-0002", [semverEntry("@x/a", [{ introduced: "1.0.0" }])]);

describe("scanVersion", () => {
  it("finds the version's own advisories and each affected dependency's, with the fix", () => {
    const findings = scanVersion({
      name: "@x/a",
      version: "1.0.0",
      dependencies: [
        { name: "@x/b", version: "1.0.0", dev: false, via: [] },
        { name: "@x/c", version: "1.0.0", dev: false, via: ["@x/b@1.0.0"] },
      ],
      advisories: [onC, onA],
    });
    expect(findings.advisories.map((a) => a.id)).toEqual(["ORI-2026-0002"]);
    expect(findings.dependencyAdvisories).toEqual([
      {
        name: "@x/c",
        version: "1.0.0",
        dev: false,
        via: ["@x/b@1.0.0"],
        advisories: [
          expect.objectContaining({ id: "ORI-2026-0001", fixedIn: "1.0.1", summary: "ORI-2026-0001 summary" }),
        ],
      },
    ]);
  });

  it("leaves out a dependency at a fixed version, and withdrawn advisories", () => {
    const withdrawn = record("ORI-2026-0003", [semverEntry("@x/c", [{ introduced: "0" }])], {
      withdrawn: "2026-11-29T00:00:00Z",
    });
    const findings = scanVersion({
      name: "@x/b",
      version: "1.0.0",
      dependencies: [{ name: "@x/c", version: "1.0.1", dev: false, via: [] }],
      advisories: [onC, withdrawn],
    });
    expect(findings).toEqual({ advisories: [], dependencyAdvisories: [] });
  });

  it("counts an advisory once per package it names, even with several entries", () => {
    const twice = record("ORI-2026-0004", [
      semverEntry("@x/c", [{ introduced: "0" }, { fixed: "0.5.0" }]),
      semverEntry("@x/c", [{ introduced: "1.0.0" }]),
    ]);
    const findings = scanVersion({
      name: "@x/b",
      version: "1.0.0",
      dependencies: [{ name: "@x/c", version: "1.0.0", dev: true, via: [] }],
      advisories: [twice],
    });
    expect(findings.dependencyAdvisories).toHaveLength(1);
    expect(findings.dependencyAdvisories[0]!.advisories.map((a) => a.id)).toEqual(["ORI-2026-0004"]);
  });
});
