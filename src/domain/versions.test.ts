import { codeOf } from "../../test/helpers/error-codes";
import { describe, it, expect } from "vitest";
import { compareVersions, formatVersion, isPrerelease, isValidVersion, latestOf, parseVersion } from "./versions";

describe("parseVersion", () => {
  it.each([
    ["0.0.0", [0, 0, 0], []],
    ["1.0.0", [1, 0, 0], []],
    ["1.10.200", [1, 10, 200], []],
    ["9007199254740991.0.0", [Number.MAX_SAFE_INTEGER, 0, 0], []],
    ["1.0.0-alpha", [1, 0, 0], ["alpha"]],
    ["1.0.0-beta.1", [1, 0, 0], ["beta", "1"]],
    ["1.0.0-rc.2", [1, 0, 0], ["rc", "2"]],
    ["1.0.0-0.3.7", [1, 0, 0], ["0", "3", "7"]],
    ["1.0.0-x.7.z.92", [1, 0, 0], ["x", "7", "z", "92"]],
    ["1.0.0-x-y-z.--", [1, 0, 0], ["x-y-z", "--"]],
    ["1.0.0-0a", [1, 0, 0], ["0a"]],
    ["1.0.0-00a", [1, 0, 0], ["00a"]],
    ["1.0.0-Alpha", [1, 0, 0], ["Alpha"]],
    ["1.0.0-a.b.c.d.e.f.g.h", [1, 0, 0], ["a", "b", "c", "d", "e", "f", "g", "h"]],
  ])("accepts %s", (v, [major, minor, patch], prerelease) => {
    expect(parseVersion(v)).toEqual({ major, minor, patch, prerelease });
    expect(formatVersion(parseVersion(v))).toBe(v);
  });

  it("accepts up to 64 characters", () => {
    const v = `1.0.0-${"a".repeat(58)}`;
    expect(v).toHaveLength(64);
    expect(isValidVersion(v)).toBe(true);
    expect(isValidVersion(`${v}a`)).toBe(false);
  });

  it.each([
    "1.0",
    "1",
    "01.0.0",
    "1.01.0",
    "1.0.00",
    "v1.0.0",
    "V1.0.0",
    " 1.0.0",
    "1.0.0 ",
    "1.0.0.0",
    "1..0",
    "",
    "a.b.c",
    "-1.0.0",
    "1.0.x",
    "9007199254740992.0.0",
    "1.99999999999999999999.0",
    // build metadata, alone or after a pre-release
    "1.0.0+build",
    "1.0.0+20130313144700",
    "1.0.0-beta+exp.sha.5114f85",
    "1.0.0-rc.1+build.1",
    // pre-release syntax
    "1.0.0-",
    "1.0.0-.",
    "1.0.0-alpha.",
    "1.0.0-.alpha",
    "1.0.0-alpha..1",
    "1.0.0-01",
    "1.0.0-alpha.01",
    "1.0.0-alpha_1",
    "1.0.0-alpha 1",
    "1.0.0-α",
    "1.0.0-a.b.c.d.e.f.g.h.i",
    "1.0.0-rc.1\n",
  ])("rejects %j as invalid_version", (v) => {
    expect(codeOf(() => parseVersion(v))).toBe("invalid_version");
    expect(isValidVersion(v)).toBe(false);
  });

  it("explains what to change", () => {
    expect(() => parseVersion("v1.0.0")).toThrow(/"v" prefix/);
    expect(() => parseVersion("1.0.0+build")).toThrow(/build metadata/);
    expect(() => parseVersion("1.0.0-rc.01")).toThrow(/leading zeros/);
    expect(() => parseVersion("1.0.0-rc..1")).toThrow(/identifiers/);
    expect(() => parseVersion("01.0.0")).toThrow(/leading zeros/);
    expect(() => parseVersion("1.0")).toThrow(/three components/);
    expect(() => parseVersion(`1.0.0-${"a".repeat(80)}`)).toThrow(/at most 64/);
  });

  it("isValidVersion does not throw on non-strings", () => {
    expect(isValidVersion(1)).toBe(false);
    expect(isValidVersion("1.2.3")).toBe(true);
  });

  it("isPrerelease", () => {
    expect(isPrerelease("1.0.0")).toBe(false);
    expect(isPrerelease("1.0.0-0")).toBe(true);
  });
});

describe("compareVersions", () => {
  it("orders numerically, not lexically", () => {
    expect(compareVersions("1.10.0", "1.9.0")).toBe(1);
    expect(compareVersions("1.9.0", "1.10.0")).toBe(-1);
    expect(compareVersions("2.0.0", "10.0.0")).toBe(-1);
    expect(compareVersions("1.2.3", "1.2.3")).toBe(0);
    expect(compareVersions("1.2.10", "1.2.9")).toBe(1);
  });

  // SemVer 2.0 §11, verbatim.
  const SPEC_CHAIN = [
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-alpha.beta",
    "1.0.0-beta",
    "1.0.0-beta.2",
    "1.0.0-beta.11",
    "1.0.0-rc.1",
    "1.0.0",
  ];

  it("follows the SemVer spec's example chain, pair by pair", () => {
    for (let i = 0; i < SPEC_CHAIN.length; i++) {
      for (let j = 0; j < SPEC_CHAIN.length; j++) {
        expect(compareVersions(SPEC_CHAIN[i]!, SPEC_CHAIN[j]!), `${SPEC_CHAIN[i]} vs ${SPEC_CHAIN[j]}`).toBe(
          Math.sign(i - j),
        );
      }
    }
  });

  it("sorts a shuffled list into the spec's order, and the core before everything", () => {
    const shuffled = [
      "1.0.0",
      "1.0.0-beta.11",
      "0.9.9",
      "1.0.0-alpha.beta",
      "1.0.0-rc.1",
      "1.0.0-alpha",
      "1.0.1-alpha",
      "1.0.0-beta",
      "1.0.0-alpha.1",
      "1.0.0-beta.2",
    ];
    expect(shuffled.sort(compareVersions)).toEqual(["0.9.9", ...SPEC_CHAIN, "1.0.1-alpha"]);
  });

  it.each([
    // the version core decides before any pre-release
    ["1.0.0-zzz", "1.0.1-alpha", -1],
    ["2.0.0-alpha", "1.99.99", 1],
    // a pre-release is below its release
    ["1.0.0-rc.99", "1.0.0", -1],
    // numeric identifiers compare numerically
    ["1.0.0-2", "1.0.0-10", -1],
    ["1.0.0-alpha.9", "1.0.0-alpha.10", -1],
    // numeric below alphanumeric, whatever the characters
    ["1.0.0-999", "1.0.0-a", -1],
    ["1.0.0-1", "1.0.0-0a", -1],
    ["1.0.0-alpha.1", "1.0.0-alpha.-", -1],
    // alphanumeric in ASCII order: uppercase before lowercase, hyphen before digits and letters
    ["1.0.0-Beta", "1.0.0-alpha", -1],
    ["1.0.0-a-b", "1.0.0-a0", -1],
    ["1.0.0-rc1", "1.0.0-rc10", -1],
    ["1.0.0-rc10", "1.0.0-rc2", -1],
    // a prefix list is lower
    ["1.0.0-alpha", "1.0.0-alpha.0", -1],
    ["1.0.0-a.b.c", "1.0.0-a.b.c.d", -1],
    // equal
    ["1.0.0-alpha.1", "1.0.0-alpha.1", 0],
  ])("%s vs %s → %i", (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
    expect(compareVersions(b, a)).toBe(-expected || 0);
  });

  it("compares numeric identifiers of any size exactly", () => {
    const big = "1.0.0-alpha.99999999999999999999999999999999998";
    const bigger = "1.0.0-alpha.99999999999999999999999999999999999";
    const biggest = "1.0.0-alpha.100000000000000000000000000000000000";
    expect(compareVersions(big, bigger)).toBe(-1);
    expect(compareVersions(bigger, biggest)).toBe(-1);
    expect(compareVersions("1.0.0-9007199254740993", "1.0.0-9007199254740992")).toBe(1); // not equal as doubles would say
    expect(compareVersions("9007199254740991.0.0", "9007199254740990.0.0")).toBe(1);
  });

  it("is a total order: antisymmetric and transitive over a mixed set", () => {
    const set = [
      "0.0.1",
      "1.0.0-0",
      "1.0.0-1",
      "1.0.0-a",
      "1.0.0-a.1",
      "1.0.0-A",
      "1.0.0-a.a",
      "1.0.0",
      "1.0.1-0",
      "1.0.10",
      "1.1.0-rc.1",
    ];
    for (const a of set) {
      for (const b of set) {
        expect(Math.sign(compareVersions(a, b))).toBe(-Math.sign(compareVersions(b, a)) || 0);
        for (const c of set) {
          if (compareVersions(a, b) < 0 && compareVersions(b, c) < 0) expect(compareVersions(a, c)).toBe(-1);
        }
      }
    }
  });

  it("throws invalid_version on a bad operand", () => {
    expect(codeOf(() => compareVersions("1.0", "1.0.0"))).toBe("invalid_version");
    expect(codeOf(() => compareVersions("1.0.0", "1.0.0+b"))).toBe("invalid_version");
  });
});

describe("latestOf", () => {
  const latest = (versions: string[]) => latestOf(versions, (v) => v);

  it("is the highest stable version while one exists", () => {
    expect(latest(["1.0.0", "2.0.0-beta.1", "1.1.0", "1.2.0-rc.1"])).toBe("1.1.0");
    expect(latest(["1.10.0", "1.9.0"])).toBe("1.10.0");
  });

  it("is the highest pre-release when there is no stable version", () => {
    expect(latest(["1.0.0-alpha", "1.0.0-beta.2", "1.0.0-beta.11", "0.1.0-rc.1"])).toBe("1.0.0-beta.11");
  });

  it("is null for none", () => {
    expect(latest([])).toBeNull();
  });
});
