import { describe, expect, it } from "vitest";
import { sampleSubmission, semverEntry } from "./fixtures";
import type { OsvRecord } from "./osv";
import { answerQuery } from "./osv-query";
import { buildRecord, splitSubmission } from "./validate";

const make = (n: number, events: Record<string, string>[] = [{ introduced: "0" }, { fixed: "2.0.0" }]): OsvRecord =>
  buildRecord(
    splitSubmission(sampleSubmission({ aliases: [], affected: [semverEntry("@acme/http", events)] }), "create").content,
    {
      id: `ORI-2026-${String(n).padStart(4, "0")}`,
      published: "2026-01-01T00:00:00Z",
      modified: "2026-01-01T00:00:00Z",
    },
  );

const q = (extra: Record<string, string> = {}) => ({ package: { name: "@acme/http", ecosystem: "Ori" }, ...extra });

describe("answerQuery", () => {
  const records = [
    make(3),
    make(1),
    make(2, [{ introduced: "3.0.0" }]),
    { ...make(4), withdrawn: "2026-02-01T00:00:00Z" },
  ];

  it("matches by version, sorted by id, never withdrawn", () => {
    expect(answerQuery(records, q({ version: "1.0.0" })).records.map((r) => r.id)).toEqual([
      "ORI-2026-0001",
      "ORI-2026-0003",
    ]);
    expect(answerQuery(records, q({ version: "3.1.0" })).records.map((r) => r.id)).toEqual(["ORI-2026-0002"]);
  });

  it("without a version, answers every advisory of the package", () => {
    expect(answerQuery(records, q()).records.map((r) => r.id)).toEqual([
      "ORI-2026-0001",
      "ORI-2026-0002",
      "ORI-2026-0003",
    ]);
  });

  it("never reports an unparsable version safe", () => {
    expect(answerQuery(records, q({ version: "garbage" })).records).toHaveLength(3);
  });

  it("pages with next_page_token until the last page", () => {
    const first = answerQuery(records, q(), 2);
    expect(first.records.map((r) => r.id)).toEqual(["ORI-2026-0001", "ORI-2026-0002"]);
    const second = answerQuery(records, q({ page_token: first.nextPageToken! }), 2);
    expect(second).toEqual({ records: [expect.objectContaining({ id: "ORI-2026-0003" })], nextPageToken: null });
    expect(answerQuery(records, q(), 3).nextPageToken).toBeNull();
  });
});
