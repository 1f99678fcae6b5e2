import { codeOf } from "../../test/helpers/error-codes";
import { describe, it, expect } from "vitest";
import { compareVersions, formatVersion, isValidVersion, parseVersion } from "./versions";


describe("parseVersion", () => {
  it.each([
    ["0.0.0", [0, 0, 0]],
    ["1.0.0", [1, 0, 0]],
    ["1.10.200", [1, 10, 200]],
    ["9007199254740991.0.0", [Number.MAX_SAFE_INTEGER, 0, 0]],
  ])("accepts %s", (v, [major, minor, patch]) => {
    expect(parseVersion(v)).toEqual({ major, minor, patch });
    expect(formatVersion(parseVersion(v))).toBe(v);
  });

  it.each(["1.0", "1", "01.0.0", "1.01.0", "1.0.00", "1.0.0-rc.1", "1.0.0+build", "v1.0.0", "V1.0.0", " 1.0.0", "1.0.0 ", "1.0.0.0", "1..0", "", "a.b.c", "-1.0.0", "1.0.x", "9007199254740992.0.0", "1.99999999999999999999.0"])(
    "rejects %j as invalid_version",
    (v) => {
      expect(codeOf(() => parseVersion(v))).toBe("invalid_version");
      expect(isValidVersion(v)).toBe(false);
    },
  );

  it("explains what to change", () => {
    expect(() => parseVersion("v1.0.0")).toThrow(/"v" prefix/);
    expect(() => parseVersion("1.0.0-rc.1")).toThrow(/pre-release/);
    expect(() => parseVersion("01.0.0")).toThrow(/leading zeros/);
    expect(() => parseVersion("1.0")).toThrow(/three components/);
  });

  it("isValidVersion does not throw on non-strings", () => {
    expect(isValidVersion(1)).toBe(false);
    expect(isValidVersion("1.2.3")).toBe(true);
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

  it("sorts a list", () => {
    expect(["1.10.0", "0.1.0", "1.2.0", "1.9.9", "0.0.1"].sort(compareVersions)).toEqual(["0.0.1", "0.1.0", "1.2.0", "1.9.9", "1.10.0"]);
  });

  it("handles the largest components exactly", () => {
    expect(compareVersions("9007199254740991.0.0", "9007199254740990.0.0")).toBe(1);
  });

  it("throws invalid_version on a bad operand", () => {
    expect(codeOf(() => compareVersions("1.0", "1.0.0"))).toBe("invalid_version");
  });
});
