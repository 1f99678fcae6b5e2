// The patched OSV schema, checked against the outside world: the committed copy is the official
// file byte for byte, the patch touches exactly Ori's id and ecosystem, and ajv (an independent
// draft 2020-12 validator) agrees with @cfworker/json-schema on a corpus of good and bad records.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { sampleSubmission, semverEntry } from "./fixtures";
import { checkSchema, jsonPath, oriOsvSchema } from "./schema";
import { buildRecord, PLACEHOLDER_STAMP, splitSubmission } from "./validate";

const schemaFile = fileURLToPath(new URL("./osv-schema.json", import.meta.url));

function record(overrides: Record<string, unknown> = {}, stamp: Record<string, string> = {}): unknown {
  return {
    ...buildRecord(splitSubmission(sampleSubmission(overrides), "create").content, PLACEHOLDER_STAMP),
    ...stamp,
  };
}

const GOOD: [string, unknown][] = [
  ["the sample record", record()],
  ["a minimal record", { id: "ORI-2026-0001", modified: "2026-01-01T00:00:00Z" }],
  ["a real id and fractional seconds", record({}, { id: "ORI-2026-12345", modified: "2026-11-28T12:00:00.123Z" })],
  ["a withdrawn record", record({}, { withdrawn: "2026-12-01T00:00:00Z" })],
  [
    "explicit versions only",
    record({ affected: [{ package: { ecosystem: "Ori", name: "@acme/http" }, versions: ["1.0.0"] }] }),
  ],
  [
    "a GIT range",
    record({
      affected: [
        {
          package: { ecosystem: "Ori", name: "@acme/http" },
          ranges: [
            {
              type: "GIT",
              repo: "https://example.com/r.git",
              events: [{ introduced: "0" }, { fixed: "a".repeat(40) }],
            },
          ],
        },
      ],
    }),
  ],
  [
    "a CVSS v4 vector",
    record({
      severity: [{ type: "CVSS_V4", score: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N" }],
    }),
  ],
  // Passes the schema, refused by Ori's rules: both validators must still call it schema-valid.
  [
    "an event with an extra key",
    record({
      affected: [
        {
          package: { ecosystem: "Ori", name: "@acme/http" },
          ranges: [{ type: "SEMVER", events: [{ introduced: "0", note: "x" }] }],
        },
      ],
    }),
  ],
];

const BAD: [string, unknown][] = [
  ["no id", { modified: "2026-01-01T00:00:00Z" }],
  ["another database's id", { id: "GHSA-vp9c-fpxx-744v", modified: "2026-01-01T00:00:00Z" }],
  ["an unregistered prefix the official schema allows", { id: "x_custom-1", modified: "2026-01-01T00:00:00Z" }],
  ["a lowercase id", { id: "ori-2026-0001", modified: "2026-01-01T00:00:00Z" }],
  ["a timestamp without Z", record({}, { modified: "2026-01-01T00:00:00+02:00" })],
  ["an impossible date", record({}, { modified: "2026-13-45T00:00:00Z" })],
  ["an unknown field", record({ cve: "x" })],
  ["an npm package", record({ affected: [{ package: { ecosystem: "npm", name: "left-pad" }, versions: ["1.0.0"] }] })],
  [
    "an ecosystem with a suffix",
    record({ affected: [{ package: { ecosystem: "Ori:extra", name: "@acme/http" }, versions: ["1.0.0"] }] }),
  ],
  ["a package without a name", record({ affected: [{ package: { ecosystem: "Ori" }, versions: ["1.0.0"] }] })],
  [
    "a range type that does not exist",
    record({
      affected: [
        {
          package: { ecosystem: "Ori", name: "@acme/http" },
          ranges: [{ type: "DATES", events: [{ introduced: "0" }] }],
        },
      ],
    }),
  ],
  ["no introduced event", record({ affected: [semverEntry("@acme/http", [{ fixed: "1.0.0" }])] })],
  ["two keys in one event", record({ affected: [semverEntry("@acme/http", [{ introduced: "0", fixed: "1.0.0" }])] })],
  [
    "fixed and last_affected",
    record({
      affected: [semverEntry("@acme/http", [{ introduced: "0" }, { fixed: "1.0.0" }, { last_affected: "2.0.0" }])],
    }),
  ],
  [
    "a GIT range without repo",
    record({
      affected: [
        { package: { ecosystem: "Ori", name: "@acme/http" }, ranges: [{ type: "GIT", events: [{ introduced: "0" }] }] },
      ],
    }),
  ],
  [
    "a short commit hash",
    record({
      affected: [
        {
          package: { ecosystem: "Ori", name: "@acme/http" },
          ranges: [{ type: "GIT", repo: "https://example.com/r.git", events: [{ introduced: "abc123" }] }],
        },
      ],
    }),
  ],
  ["a reference that is no URI", record({ references: [{ type: "WEB", url: "not a url" }] })],
  ["an unknown reference type", record({ references: [{ type: "BLOG", url: "https://example.com" }] })],
  [
    "a CVSS v3 vector with a bad value",
    record({ severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" }] }),
  ],
  [
    "a v4 vector out of order",
    record({
      severity: [{ type: "CVSS_V4", score: "CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N" }],
    }),
  ],
  [
    "severity at both levels",
    record({
      affected: [
        {
          ...semverEntry("@acme/http", [{ introduced: "0" }]),
          severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" }],
        },
      ],
    }),
  ],
  ["an unknown credit type", record({ credits: [{ name: "x", type: "HERO" }] })],
  ["aliases that are not strings", record({ aliases: [1] })],
  ["database_specific that is no object", record({ database_specific: "x" })],
];

describe("the committed OSV schema", () => {
  it("is the official file, unmodified (sha256 from SOURCE.md)", () => {
    const sha = createHash("sha256").update(readFileSync(schemaFile)).digest("hex");
    expect(sha).toBe("7a511902b57297197b37298f6adaa2acb15f22b3f641bb9f547f19dcbe533ba8");
    expect(readFileSync(fileURLToPath(new URL("./SOURCE.md", import.meta.url)), "utf8")).toContain(sha);
  });

  it("is patched for exactly two things: the id prefix and the ecosystem", () => {
    const official = JSON.parse(readFileSync(schemaFile, "utf8"));
    const patched = oriOsvSchema();
    const { prefix, ecosystemWithSuffix, ...otherDefs } = patched.$defs;
    const { prefix: p0, ecosystemWithSuffix: e0, ...officialDefs } = official.$defs;
    expect(otherDefs).toEqual(officialDefs);
    expect({ ...patched, $defs: null }).toEqual({ ...official, $defs: null });
    expect(prefix).toEqual({ ...p0, pattern: "^ORI-[0-9]{4}-[0-9]{4,}$", description: expect.any(String) });
    expect(ecosystemWithSuffix).toEqual({ ...e0, pattern: "^Ori$", description: expect.any(String) });
    // The official copy itself refuses Ori, which is why the patch exists.
    expect(official.$defs.prefix.pattern).not.toContain("ORI");
    expect(new RegExp(official.$defs.ecosystemWithSuffix.pattern).test("Ori")).toBe(false);
  });
});

describe("ajv and @cfworker/json-schema agree on the patched schema", () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const ajvValidate = ajv.compile(oriOsvSchema());

  it.each(GOOD)("valid: %s", (_name, value) => {
    expect(ajvValidate(value), JSON.stringify(ajvValidate.errors)).toBe(true);
    expect(checkSchema(value)).toBeNull();
  });

  it.each(BAD)("invalid: %s", (_name, value) => {
    expect(ajvValidate(value)).toBe(false);
    expect(checkSchema(value)).not.toBeNull();
  });
});

describe("jsonPath", () => {
  it("turns JSON pointers into the paths the messages use", () => {
    expect(jsonPath("#")).toBe("$");
    expect(jsonPath("#/affected/0/ranges/1/events/2")).toBe("affected[0].ranges[1].events[2]");
    expect(jsonPath("#/database_specific/a~1b")).toBe('database_specific["a/b"]');
  });
});
