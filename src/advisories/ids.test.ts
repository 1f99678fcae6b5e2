import { describe, expect, it } from "vitest";
import { ALIAS_PATTERN, aliasKey, formatAdvisoryId, isAdvisoryId, parseAdvisoryId } from "./ids";

describe("advisory ids", () => {
  it("formats ORI-YYYY-NNNN with at least four digits", () => {
    expect(formatAdvisoryId(2026, 1)).toBe("ORI-2026-0001");
    expect(formatAdvisoryId(2026, 9999)).toBe("ORI-2026-9999");
    expect(formatAdvisoryId(2026, 12345)).toBe("ORI-2026-12345");
  });

  it("parses only the canonical spelling", () => {
    expect(parseAdvisoryId("ORI-2026-0001")).toEqual({ year: 2026, number: 1 });
    expect(parseAdvisoryId("ORI-2026-12345")).toEqual({ year: 2026, number: 12345 });
    for (const bad of [
      "ORI-2026-00001",
      "ORI-2026-0000",
      "ori-2026-0001",
      "ORI-26-0001",
      "ORI-2026-001",
      "ORI-2026-0001 ",
      "CVE-2026-0001",
    ]) {
      expect(isAdvisoryId(bad), bad).toBe(false);
    }
  });

  it("indexes aliases without regard to case", () => {
    expect(aliasKey("cve-2026-1234")).toBe(aliasKey("CVE-2026-1234"));
    expect(aliasKey("GHSA-abcd-1234-wxyz")).toBe("GHSA-ABCD-1234-WXYZ");
  });

  it("accepts the alias shapes of other databases and nothing else", () => {
    for (const ok of ["CVE-2026-1234", "GHSA-vp9c-fpxx-744v", "PYSEC-2021-66", "RUSTSEC-2024-0001", "OSV-2020-111"])
      expect(ALIAS_PATTERN.test(ok), ok).toBe(true);
    for (const bad of [
      "",
      "CVE",
      "CVE-",
      "-1234",
      "CVE 2026 1234",
      "CVE-2026-1234\n",
      "<script>-1",
      `CVE-${"1".repeat(60)}`,
    ])
      expect(ALIAS_PATTERN.test(bad), bad).toBe(false);
  });
});
