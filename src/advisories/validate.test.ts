import { describe, expect, it } from "vitest";
import { RegistryError, type ErrorCode } from "../domain/errors";
import { sampleSubmission, semverEntry } from "./fixtures";
import { buildRecord, checkSubmission, PLACEHOLDER_STAMP, splitSubmission } from "./validate";

function refusal(input: unknown, mode: "create" | "replace" = "create"): { code: ErrorCode; message: string } {
  try {
    checkSubmission(input, mode);
  } catch (e) {
    if (e instanceof RegistryError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error("the submission was accepted");
}

const withAffected = (...affected: unknown[]) => sampleSubmission({ affected });
const withEvents = (...events: unknown[]) =>
  withAffected({ package: { ecosystem: "Ori", name: "@acme/http" }, ranges: [{ type: "SEMVER", events }] });

describe("checkSubmission", () => {
  it("accepts a complete OSV record", () => {
    expect(() => checkSubmission(sampleSubmission(), "create")).not.toThrow();
  });

  it("builds the record in OSV's field order with the registry's fields and computed scores", () => {
    const { content } = splitSubmission(sampleSubmission(), "create");
    const record = buildRecord(content, {
      id: "ORI-2026-0001",
      published: "2026-11-28T12:00:00.000Z",
      modified: "2026-11-28T12:00:00.000Z",
    });
    expect(Object.keys(record).slice(0, 5)).toEqual(["schema_version", "id", "modified", "published", "aliases"]);
    expect(record.schema_version).toBe("1.7.5");
    expect(record.database_specific).toEqual({
      source: "unit test",
      cvss: [
        {
          type: "CVSS_V3",
          vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
          version: "3.1",
          base_score: 9.8,
          base_severity: "CRITICAL",
        },
      ],
    });
  });

  it("scores an affected entry's own severity beside it", () => {
    const entry = {
      ...semverEntry("@acme/http", [{ introduced: "0" }]),
      severity: [{ type: "CVSS_V4", score: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N" }],
    };
    const { content } = splitSubmission(sampleSubmission({ severity: undefined, affected: [entry] }), "create");
    const record = buildRecord(content, PLACEHOLDER_STAMP);
    expect(record.affected![0]!.database_specific).toEqual({
      cvss: [expect.objectContaining({ base_score: 9.3, base_severity: "CRITICAL" })],
    });
  });

  it.each(["id", "published", "modified", "withdrawn"])("refuses %s in a create: the registry sets it", (field) => {
    expect(refusal(sampleSubmission({ [field]: field === "id" ? "ORI-2026-0001" : "2026-01-01T00:00:00Z" }))).toEqual({
      code: "advisory_registry_field",
      message: expect.stringMatching(new RegExp(`^${field}: set by the registry`)),
    });
  });

  it("lets a replacement echo the registry's fields (checked by the database)", () => {
    const s = splitSubmission(sampleSubmission({ id: "ORI-2026-0001", modified: "2026-01-01T00:00:00Z" }), "replace");
    expect(s.echoed).toEqual({ id: "ORI-2026-0001", modified: "2026-01-01T00:00:00Z" });
    expect(s.content).not.toHaveProperty("id");
  });

  it.each<[string, unknown, ErrorCode, RegExp]>([
    ["not an object", [1, 2], "advisory_schema_invalid", /^\$: an advisory is a JSON object/],
    [
      "an unknown top-level field",
      sampleSubmission({ cve: "x" }),
      "advisory_schema_invalid",
      /^cve is not a field of an OSV record/,
    ],
    [
      "a bad reference type",
      sampleSubmission({ references: [{ type: "BLOG", url: "https://x.example" }] }),
      "advisory_schema_invalid",
      /^references\[0\]\.type/,
    ],
    [
      "another ecosystem",
      withAffected({ package: { ecosystem: "npm", name: "@acme/http" }, versions: ["1.0.0"] }),
      "advisory_schema_invalid",
      /^affected\[0\]\.package\.ecosystem must be "Ori"/,
    ],
    [
      "two keys in one event",
      withEvents({ introduced: "0", fixed: "1.0.0" }),
      "advisory_schema_invalid",
      /^affected\[0\]\.ranges\[0\]\.events\[0\] must have exactly one of/,
    ],
    [
      "an event with an unknown extra key",
      withEvents({ introduced: "0" }, { fixed: "1.0.0", note: "x" }),
      "advisory_invalid_range",
      /^affected\[0\]\.ranges\[0\]\.events\[1\]: an event has exactly one key/,
    ],
    [
      "a range without introduced",
      withEvents({ fixed: "1.0.0" }),
      "advisory_schema_invalid",
      /^affected\[0\]\.ranges\[0\]\.events must contain an introduced event/,
    ],
    [
      "fixed and last_affected in one range",
      withEvents({ introduced: "0" }, { fixed: "1.0.0" }, { introduced: "2.0.0" }, { last_affected: "2.1.0" }),
      "advisory_schema_invalid",
      /^affected\[0\]\.ranges\[0\]: last_affected and fixed events are mutually exclusive \(OSV schema\)$/,
    ],
    [
      "a GIT range without a repo",
      withAffected({
        package: { ecosystem: "Ori", name: "@acme/http" },
        ranges: [{ type: "GIT", events: [{ introduced: "0" }] }],
      }),
      "advisory_schema_invalid",
      /^affected\[0\]\.ranges\[0\]: GIT ranges require a repo/,
    ],
    [
      "introduced equal to fixed",
      withEvents({ introduced: "1.0.0" }, { fixed: "1.0.0" }),
      "advisory_invalid_range",
      /^affected\[0\]\.ranges\[0\]\.events\[1\]: fixed 1\.0\.0 equals an introduced version/,
    ],
    [
      "a limit in a SEMVER range",
      withEvents({ introduced: "0" }, { limit: "2.0.0" }),
      "advisory_invalid_range",
      /^affected\[0\]\.ranges\[0\]\.events\[1\]: limit events are refused/,
    ],
    [
      "an ECOSYSTEM range",
      withAffected({
        package: { ecosystem: "Ori", name: "@acme/http" },
        ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }] }],
      }),
      "advisory_invalid_range",
      /^affected\[0\]\.ranges\[0\]\.type: Ori versions are SemVer/,
    ],
    [
      "an entry with no versions or ranges",
      withAffected({ package: { ecosystem: "Ori", name: "@acme/http" } }),
      "advisory_invalid_range",
      /^affected\[0\]: names no affected version/,
    ],
    [
      "no affected package",
      sampleSubmission({ affected: [] }),
      "advisory_invalid_package",
      /^affected: an Ori advisory names at least one/,
    ],
    [
      "an invalid package name",
      withAffected(semverEntry("acme/http", [{ introduced: "0" }])),
      "advisory_invalid_package",
      /^affected\[0\]\.package\.name: "acme\/http" is not a valid package name/,
    ],
    [
      "a reserved package name",
      withAffected(semverEntry("@std/json", [{ introduced: "0" }])),
      "advisory_invalid_package",
      /^affected\[0\]\.package\.name: .*reserved/,
    ],
    [
      "a purl",
      withAffected({
        package: { ecosystem: "Ori", name: "@acme/http", purl: "pkg:ori/acme/http" },
        versions: ["1.0.0"],
      }),
      "advisory_invalid_package",
      /^affected\[0\]\.package\.purl/,
    ],
    [
      "a version with build metadata",
      withEvents({ introduced: "0" }, { fixed: "1.0.0+build" }),
      "advisory_invalid_version",
      /^affected\[0\]\.ranges\[0\]\.events\[1\]\.fixed: "1\.0\.0\+build" is not an Ori version/,
    ],
    [
      "a v-prefixed version in versions",
      withAffected({ package: { ecosystem: "Ori", name: "@acme/http" }, versions: ["1.0.0", "v1.1.0"] }),
      "advisory_invalid_version",
      /^affected\[0\]\.versions\[1\]/,
    ],
    [
      "a short version in introduced",
      withEvents({ introduced: "1.0" }),
      "advisory_invalid_version",
      /^affected\[0\]\.ranges\[0\]\.events\[0\]\.introduced/,
    ],
    [
      "a malformed CVSS vector",
      sampleSubmission({ severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:L" }] }),
      "advisory_invalid_severity",
      /^severity\[0\]\.score: the CVSS metric AV appears twice/,
    ],
    [
      "a vector the schema refuses",
      sampleSubmission({ severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:Q" }] }),
      "advisory_schema_invalid",
      /^severity\[0\]\.score/,
    ],
    [
      "an incomplete vector",
      sampleSubmission({ severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L" }] }),
      "advisory_invalid_severity",
      /lacks the base metrics/,
    ],
    [
      "two vectors of one type",
      sampleSubmission({
        severity: [
          { type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" },
          { type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:L" },
        ],
      }),
      "advisory_invalid_severity",
      /^severity\[1\]\.type/,
    ],
    [
      "a CVSS v2 vector",
      sampleSubmission({ severity: [{ type: "CVSS_V2", score: "AV:N/AC:L/Au:N/C:P/I:P/A:P" }] }),
      "advisory_invalid_severity",
      /^severity\[0\]\.type: severity type "CVSS_V2" is not accepted/,
    ],
    [
      "severity at both levels",
      sampleSubmission({
        affected: [
          {
            ...semverEntry("@acme/http", [{ introduced: "0" }]),
            severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" }],
          },
        ],
      }),
      "advisory_schema_invalid",
      /^affected\[0\]\.severity/,
    ],
    [
      "an ORI id as an alias",
      sampleSubmission({ aliases: ["ORI-2026-0002"] }),
      "advisory_invalid_field",
      /^aliases\[0\]: an Ori advisory is never an alias/,
    ],
    [
      "a duplicate alias",
      sampleSubmission({ aliases: ["CVE-2026-1234", "cve-2026-1234"] }),
      "advisory_invalid_field",
      /^aliases\[1\]: "cve-2026-1234" is listed twice/,
    ],
    ["a malformed alias", sampleSubmission({ aliases: ["CVE 2026 1234"] }), "advisory_invalid_field", /^aliases\[0\]/],
    [
      "a javascript: reference",
      sampleSubmission({ references: [{ type: "WEB", url: "javascript:alert(1)" }] }),
      "advisory_invalid_field",
      /^references\[0\]\.url: an http or https URL/,
    ],
    [
      "a summary with an escape sequence",
      sampleSubmission({ summary: "bad \u001b[31mred" }),
      "advisory_invalid_field",
      /^summary: a one-line summary; this one contains U\+001B \(ESC\)/,
    ],
    [
      "a summary with a bidi override",
      sampleSubmission({ summary: "evil \u202e txt" }),
      "advisory_invalid_field",
      /^summary: .*U\+202E/,
    ],
    ["a multi-line summary", sampleSubmission({ summary: "one\ntwo" }), "advisory_invalid_field", /^summary/],
    [
      "a long summary",
      sampleSubmission({ summary: "x".repeat(257) }),
      "advisory_invalid_field",
      /^summary: at most 256/,
    ],
    [
      "details with a control character",
      sampleSubmission({ details: "a\u0007b" }),
      "advisory_invalid_field",
      /^details/,
    ],
    [
      "a modified timestamp that is not RFC 3339",
      sampleSubmission({ database_specific: "x" }),
      "advisory_schema_invalid",
      /^database_specific/,
    ],
    [
      "a related id that is neither",
      sampleSubmission({ related: ["not an id"] }),
      "advisory_invalid_field",
      /^related\[0\]/,
    ],
  ])("refuses %s", (_name, input, code, message) => {
    const r = refusal(input);
    expect(r.code).toBe(code);
    expect(r.message).toMatch(message);
  });

  it("keeps GIT ranges (commit hashes, limit allowed) without version checks", () => {
    const git = {
      type: "GIT",
      repo: "https://example.com/acme/http.git",
      events: [{ introduced: "0" }, { limit: "b".repeat(40) }],
    };
    expect(() =>
      checkSubmission(
        withAffected({
          package: { ecosystem: "Ori", name: "@acme/http" },
          ranges: [git, { type: "SEMVER", events: [{ introduced: "0" }] }],
        }),
        "create",
      ),
    ).not.toThrow();
  });

  it("accepts pre-releases in ranges and versions", () => {
    expect(() =>
      checkSubmission(withEvents({ introduced: "1.0.0-alpha.1" }, { fixed: "1.0.0-rc.2" }), "create"),
    ).not.toThrow();
  });
});
