import { describe, expect, it } from "vitest";
import { sampleSubmission, semverEntry } from "./fixtures";
import type { OsvRecord } from "./osv";
import { buildRecord, splitSubmission } from "./validate";
import { mayReadPackage, visibleRecord } from "./visibility";

const record: OsvRecord = buildRecord(
  splitSubmission(
    sampleSubmission({
      affected: [semverEntry("@acme/http", [{ introduced: "0" }]), semverEntry("@secret/core", [{ introduced: "0" }])],
    }),
    "create",
  ).content,
  { id: "ORI-2026-0001", published: "2026-01-01T00:00:00Z", modified: "2026-01-01T00:00:00Z" },
);

describe("visibleRecord", () => {
  it("shows everything to an unlimited reader", () => {
    expect(visibleRecord(record, null)).toBe(record);
    expect(visibleRecord(record, { packages: null })).toBe(record);
  });

  it("removes the entries of packages outside a limited token's patterns", () => {
    const seen = visibleRecord(record, { packages: ["@acme/*"] });
    expect(seen?.affected?.map((a) => a.package.name)).toEqual(["@acme/http"]);
    expect(JSON.stringify(seen)).not.toContain("@secret/core");
  });

  it("hides a record that names none of the token's packages", () => {
    expect(visibleRecord(record, { packages: ["@other/x"] })).toBeNull();
  });

  it("answers whether a package may be read", () => {
    expect(mayReadPackage("@secret/core", { packages: ["@acme/*"] })).toBe(false);
    expect(mayReadPackage("@acme/http", { packages: ["@acme/http"] })).toBe(true);
  });
});
