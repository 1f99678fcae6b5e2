import { codeOf } from "../../test/helpers/error-codes";
import { describe, expect, it } from "vitest";
import type { VersionRecord } from "./package-records";
import { exactNames, matchExpression, parseSearchRequest, searchDocument, searchTerms } from "./search";

describe("searchTerms", () => {
  it("splits scoped names and hyphens as FTS5's unicode61 tokenizer does", () => {
    expect(searchTerms("@acme/json-parser")).toEqual(["acme", "json", "parser"]);
    expect(searchTerms("  JSON   Parser ")).toEqual(["json", "parser"]);
    expect(searchTerms("café ünïcode 42")).toEqual(["café", "ünïcode", "42"]);
  });

  it("drops every FTS5 operator character", () => {
    expect(searchTerms('"a* ^b (c) d:e -f +g {h} NEAR(i, 2)')).toEqual([
      "a",
      "b",
      "c",
      "d",
      "e",
      "f",
      "g",
      "h",
      "near",
      "i",
      "2",
    ]);
    expect(searchTerms('"*^():-+{}')).toEqual([]);
    expect(searchTerms("🦀🎉")).toEqual([]);
  });

  it("keeps at most 16 words", () => {
    expect(searchTerms(Array.from({ length: 40 }, (_, i) => `w${i}`).join(" "))).toHaveLength(16);
  });
});

describe("matchExpression", () => {
  it("quotes every word, requires all, and makes the last a prefix", () => {
    expect(matchExpression(["json", "pars"])).toBe('"json" "pars"*');
    expect(matchExpression(["and", "or", "near"])).toBe('"and" "or" "near"*');
    expect(matchExpression([])).toBeNull();
  });
});

describe("exactNames", () => {
  it("reads a whole name with or without @, or a bare name part", () => {
    expect(exactNames("@Acme/JSON")).toEqual({ full: "@acme/json", bare: null });
    expect(exactNames("acme/json")).toEqual({ full: "@acme/json", bare: null });
    expect(exactNames(" json ")).toEqual({ full: null, bare: "json" });
    expect(exactNames("@acme")).toEqual({ full: null, bare: null });
  });
});

describe("parseSearchRequest", () => {
  it("applies defaults and bounds", () => {
    expect(parseSearchRequest({ q: " json " })).toEqual({ q: "json", limit: 20, offset: 0 });
    expect(parseSearchRequest({ q: "json", limit: "100", offset: "1000" })).toEqual({
      q: "json",
      limit: 100,
      offset: 1000,
    });
  });

  it.each([
    [{}],
    [{ q: "" }],
    [{ q: "   " }],
    [{ q: "x".repeat(101) }],
    [{ q: "json", limit: "0" }],
    [{ q: "json", limit: "101" }],
    [{ q: "json", limit: "1.5" }],
    [{ q: "json", limit: "abc" }],
    [{ q: "json", offset: "-1" }],
    [{ q: "json", offset: "1001" }],
    [{ q: "json", offset: "1e3" }],
  ])("refuses %j with bad_request", (raw) => {
    expect(codeOf(() => parseSearchRequest(raw))).toBe("bad_request");
  });

  it("says what to send", () => {
    expect(() => parseSearchRequest({ q: "" })).toThrow(/1–100 characters as \?q=/);
    expect(() => parseSearchRequest({ q: "a", limit: "500" })).toThrow(/limit must be a whole number from 1 to 100/);
  });
});

describe("searchDocument", () => {
  const version = (v: string, flags: Partial<VersionRecord> = {}): VersionRecord =>
    ({
      name: "@acme/json",
      version: v,
      publishedAt: `published ${v}`,
      yanked: false,
      deprecated: null,
      removed: null,
      deleted: null,
      manifest: { description: `v${v}`, keywords: ["json"], categories: ["parsing"] },
      ...flags,
    }) as VersionRecord;

  it("describes the highest listed version by semver", () => {
    const doc = searchDocument([version("9.0.0"), version("10.0.0"), version("11.0.0", { yanked: true })]);
    expect(doc).toEqual({
      name: "@acme/json",
      version: "10.0.0",
      description: "v10.0.0",
      keywords: ["json"],
      categories: ["parsing"],
      deprecated: null,
      updatedAt: "published 10.0.0",
    });
  });

  it("describes the highest stable version while there is one, else the highest pre-release", () => {
    expect(searchDocument([version("1.0.0"), version("2.0.0-beta.1"), version("1.1.0-rc.1")])?.version).toBe("1.0.0");
    expect(searchDocument([version("1.0.0-beta.2"), version("1.0.0-beta.11"), version("1.0.0-alpha")])?.version).toBe(
      "1.0.0-beta.11",
    );
    expect(searchDocument([version("1.0.0", { yanked: true }), version("2.0.0-rc.1")])?.version).toBe("2.0.0-rc.1");
  });

  it("keeps a deprecated version listed, with its message", () => {
    expect(searchDocument([version("1.0.0", { deprecated: "use @acme/json2" })])?.deprecated).toBe("use @acme/json2");
  });

  it("is null when every version is yanked, removed or deleted", () => {
    const gone = { reason: "x", at: "", by: "admin" };
    expect(
      searchDocument([
        version("1.0.0", { yanked: true }),
        version("2.0.0", { removed: gone }),
        version("3.0.0", { deleted: gone }),
      ]),
    ).toBeNull();
    expect(searchDocument([])).toBeNull();
  });
});
