import { describe, expect, it } from "vitest";
import { affects, evaluate, fixedIn, fixedVersions } from "./match";
import type { OsvAffected, OsvEvent, OsvRecord } from "./osv";

const PKG = "@acme/http";

function record(affected: OsvAffected[], extra: Partial<OsvRecord> = {}): OsvRecord {
  return { id: "ORI-2026-0001", modified: "2026-01-01T00:00:00Z", affected, ...extra };
}

function semver(...events: OsvEvent[]): OsvAffected {
  return { package: { ecosystem: "Ori", name: PKG }, ranges: [{ type: "SEMVER", events }] };
}

function affected(r: OsvRecord, versions: string[]): string[] {
  return versions.filter((v) => affects(r, PKG, v));
}

const ALL = [
  "0.0.1",
  "0.9.0",
  "1.0.0-alpha",
  "1.0.0",
  "1.0.1",
  "1.2.0",
  "1.9.0",
  "1.10.0",
  "2.0.0-rc.1",
  "2.0.0",
  "2.5.0",
  "3.0.0",
  "10.0.0",
];

describe("evaluate (the OSV algorithm)", () => {
  it("introduced 0 affects every version", () => {
    expect(affected(record([semver({ introduced: "0" })]), ALL)).toEqual(ALL);
  });

  it("introduced 0, fixed: everything below the fix", () => {
    expect(affected(record([semver({ introduced: "0" }, { fixed: "1.0.1" })]), ALL)).toEqual([
      "0.0.1",
      "0.9.0",
      "1.0.0-alpha",
      "1.0.0",
    ]);
  });

  it("orders pre-releases by SemVer precedence: 1.0.0-alpha < 1.0.0", () => {
    const r = record([semver({ introduced: "1.0.0" }, { fixed: "2.0.0" })]);
    expect(affects(r, PKG, "1.0.0-alpha")).toBe(false);
    expect(affects(r, PKG, "2.0.0-rc.1")).toBe(true);
    expect(affects(r, PKG, "2.0.0")).toBe(false);
  });

  it("compares numbers as numbers, not strings: 1.10.0 is above 1.9.0", () => {
    const r = record([semver({ introduced: "1.9.0" }, { fixed: "1.10.0" })]);
    expect(affected(r, ALL)).toEqual(["1.9.0"]);
    const r2 = record([semver({ introduced: "1.10.0" })]);
    expect(affected(r2, ["1.9.0", "1.10.0", "1.11.0", "2.0.0"])).toEqual(["1.10.0", "1.11.0", "2.0.0"]);
  });

  it("sorts unordered events before walking them", () => {
    const ordered = record([
      semver({ introduced: "1.0.0" }, { fixed: "1.2.0" }, { introduced: "2.0.0" }, { fixed: "2.5.0" }),
    ]);
    const shuffled = record([
      semver({ fixed: "2.5.0" }, { introduced: "2.0.0" }, { fixed: "1.2.0" }, { introduced: "1.0.0" }),
    ]);
    expect(affected(shuffled, ALL)).toEqual(affected(ordered, ALL));
    expect(affected(ordered, ALL)).toEqual(["1.0.0", "1.0.1", "2.0.0"]);
  });

  it("two windows in one range leave the gap between them unaffected", () => {
    const r = record([
      semver({ introduced: "1.0.0" }, { fixed: "1.2.0" }, { introduced: "2.0.0" }, { fixed: "3.0.0" }),
    ]);
    expect(affects(r, PKG, "1.9.0")).toBe(false);
    expect(affects(r, PKG, "2.5.0")).toBe(true);
    expect(affects(r, PKG, "3.0.0")).toBe(false);
  });

  it("a re-introduced range: fixed, then introduced again with no fix", () => {
    const r = record([semver({ introduced: "0" }, { fixed: "1.2.0" }, { introduced: "2.0.0" })]);
    expect(affected(r, ALL)).toEqual([
      "0.0.1",
      "0.9.0",
      "1.0.0-alpha",
      "1.0.0",
      "1.0.1",
      "2.0.0",
      "2.5.0",
      "3.0.0",
      "10.0.0",
    ]);
    expect(fixedIn(r, PKG, "1.0.0")).toBe("1.2.0");
    expect(fixedIn(r, PKG, "2.5.0")).toBeNull();
  });

  it("last_affected includes that version and nothing above", () => {
    const r = record([semver({ introduced: "1.0.0" }, { last_affected: "1.9.0" })]);
    expect(affected(r, ALL)).toEqual(["1.0.0", "1.0.1", "1.2.0", "1.9.0"]);
    expect(fixedIn(r, PKG, "1.2.0")).toBeNull();
  });

  it("at one version introduced sorts before fixed: introduced == last_affected is a one-version window", () => {
    expect(affected(record([semver({ last_affected: "1.2.0" }, { introduced: "1.2.0" })]), ALL)).toEqual(["1.2.0"]);
  });

  it("several affected entries for one package: any of them matches", () => {
    const r = record([
      semver({ introduced: "0" }, { fixed: "1.0.0" }),
      semver({ introduced: "2.0.0" }, { fixed: "2.5.0" }),
    ]);
    expect(affected(r, ALL)).toEqual(["0.0.1", "0.9.0", "1.0.0-alpha", "2.0.0"]);
  });

  it("several ranges in one entry: any of them matches", () => {
    const a: OsvAffected = {
      package: { ecosystem: "Ori", name: PKG },
      ranges: [
        { type: "SEMVER", events: [{ introduced: "0" }, { fixed: "0.9.0" }] },
        { type: "SEMVER", events: [{ introduced: "3.0.0" }] },
      ],
    };
    expect(affected(record([a]), ALL)).toEqual(["0.0.1", "3.0.0", "10.0.0"]);
  });

  it("other packages' entries never match", () => {
    const other: OsvAffected = {
      package: { ecosystem: "Ori", name: "@acme/other" },
      ranges: [{ type: "SEMVER", events: [{ introduced: "0" }] }],
    };
    expect(affected(record([other]), ALL)).toEqual([]);
    expect(affects(record([other]), "@acme/other", "1.0.0")).toBe(true);
  });

  it("explicit versions match exactly, and only as written", () => {
    const r = record([{ package: { ecosystem: "Ori", name: PKG }, versions: ["1.0.0", "1.2.0"] }]);
    expect(affected(r, ALL)).toEqual(["1.0.0", "1.2.0"]);
  });

  it("versions and ranges together: either matches", () => {
    const r = record([
      {
        package: { ecosystem: "Ori", name: PKG },
        versions: ["0.0.1"],
        ranges: [{ type: "SEMVER", events: [{ introduced: "3.0.0" }] }],
      },
    ]);
    expect(affected(r, ALL)).toEqual(["0.0.1", "3.0.0", "10.0.0"]);
  });

  it("GIT ranges are ignored without aborting the evaluation of the others", () => {
    const a: OsvAffected = {
      package: { ecosystem: "Ori", name: PKG },
      ranges: [
        {
          type: "GIT",
          repo: "https://example.com/acme/http.git",
          events: [{ introduced: "0" }, { fixed: "a".repeat(40) }],
        },
        { type: "SEMVER", events: [{ introduced: "2.0.0" }] },
      ],
    };
    expect(affected(record([a]), ALL)).toEqual(["2.0.0", "2.5.0", "3.0.0", "10.0.0"]);
    const gitOnly: OsvAffected = {
      package: { ecosystem: "Ori", name: PKG },
      ranges: [{ type: "GIT", repo: "https://example.com/x.git", events: [{ introduced: "0" }] }],
    };
    expect(evaluate(record([gitOnly]), PKG, "1.0.0")).toBe("unaffected");
  });

  it("a limit bounds the range from above; `*` is infinity", () => {
    expect(affected(record([semver({ introduced: "0" }, { limit: "1.2.0" })]), ALL)).toEqual([
      "0.0.1",
      "0.9.0",
      "1.0.0-alpha",
      "1.0.0",
      "1.0.1",
    ]);
    expect(affected(record([semver({ introduced: "2.0.0" }, { limit: "*" })]), ALL)).toEqual([
      "2.0.0",
      "2.5.0",
      "3.0.0",
      "10.0.0",
    ]);
  });

  it("withdrawn records never match", () => {
    const r = record([semver({ introduced: "0" })], { withdrawn: "2026-02-01T00:00:00Z" });
    expect(affected(r, ALL)).toEqual([]);
  });

  it("a version that cannot be parsed is never reported safe", () => {
    const r = record([semver({ introduced: "1.0.0" }, { fixed: "2.0.0" })]);
    expect(evaluate(r, PKG, "not-a-version")).toBe("unknown");
    expect(affects(r, PKG, "v1.5.0")).toBe(true);
    // …unless the package has no range to evaluate: explicit versions are matched as strings.
    const listed = record([{ package: { ecosystem: "Ori", name: PKG }, versions: ["1.0.0"] }]);
    expect(evaluate(listed, PKG, "junk")).toBe("unaffected");
    expect(evaluate(record([{ package: { ecosystem: "Ori", name: PKG }, versions: ["junk"] }]), PKG, "junk")).toBe(
      "affected",
    );
  });

  it("an event that cannot be parsed makes its range unknown, never safe", () => {
    const r = record([semver({ introduced: "1.0" })]);
    expect(evaluate(r, PKG, "1.5.0")).toBe("unknown");
  });
});

describe("fixedIn / fixedVersions", () => {
  const r = record([
    semver({ introduced: "1.0.0" }, { fixed: "1.2.0" }, { introduced: "2.0.0" }, { fixed: "2.5.0" }),
    semver({ introduced: "1.9.0" }, { fixed: "1.10.0" }),
  ]);

  it("names the lowest fix above the version", () => {
    expect(fixedIn(r, PKG, "1.0.1")).toBe("1.2.0");
    expect(fixedIn(r, PKG, "1.9.0")).toBe("1.10.0");
    expect(fixedIn(r, PKG, "2.0.0")).toBe("2.5.0");
    expect(fixedIn(r, PKG, "3.0.0")).toBeNull();
  });

  it("lists every fix in SemVer order (1.10.0 after 1.2.0)", () => {
    expect(fixedVersions(r, PKG)).toEqual(["1.2.0", "1.10.0", "2.5.0"]);
  });
});
