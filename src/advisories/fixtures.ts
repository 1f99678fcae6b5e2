// Sample advisory submissions shared by the unit tests, the integration tests and the bench:
// one realistic record, and builders for variations of it.

/** A complete submission as an administrator would send it (no registry fields). */
export function sampleSubmission(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    aliases: ["CVE-2026-1234", "GHSA-abcd-1234-wxyz"],
    summary: "Request smuggling in @acme/http's chunked decoder",
    details:
      "The chunked decoder of `@acme/http` accepts a chunk size with trailing garbage.\n\nUpgrade to 1.2.3 or 2.0.1.",
    severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" }],
    affected: [
      {
        package: { ecosystem: "Ori", name: "@acme/http" },
        ranges: [
          {
            type: "SEMVER",
            events: [{ introduced: "0" }, { fixed: "1.2.3" }, { introduced: "2.0.0" }, { fixed: "2.0.1" }],
          },
        ],
        versions: ["1.0.0", "1.2.0", "2.0.0"],
      },
    ],
    references: [
      { type: "ADVISORY", url: "https://example.com/advisories/acme-http-1" },
      { type: "FIX", url: "https://example.com/acme/http/commit/1" },
    ],
    credits: [{ name: "Alice", contact: ["mailto:alice@example.com"], type: "FINDER" }],
    database_specific: { source: "unit test" },
    ...overrides,
  };
}

/** An affected entry for one package with one SEMVER range. */
export function semverEntry(name: string, events: Record<string, string>[]): Record<string, unknown> {
  return { package: { ecosystem: "Ori", name }, ranges: [{ type: "SEMVER", events }] };
}
