// The advisory list is newest first by `published`, and a record created on a whole second
// writes it without milliseconds ("…:01Z", osvTimestamp): as strings that sorts after a later
// "…:01.500Z". The column keeps one form (sortableTimestamp), rows written before it are brought
// to it, and the cursor compares the same form — so order and pages hold across such records.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { OsvRecord } from "../../src/advisories/osv";
import type { AdvisoryDatabase } from "../../src/objects/advisory-database";
import { AdvisoryTables, sortableTimestamp } from "../../src/objects/advisory-tables";

const record = (id: string, published: string): OsvRecord =>
  ({ schema_version: "1.6.0", id, modified: published, published, summary: id }) as unknown as OsvRecord;
const history = { at: "2026-01-01T00:00:00Z", actor: "test", action: "create" as const, reason: null };
const query = { package: null, includeWithdrawn: false, limit: 10 };

describe("the advisory list's order", () => {
  it("puts an advisory published on a whole second before one published later in that second", async () => {
    await runInDurableObject(env.ADVISORY_DATABASE.getByName("order-test"), (_: AdvisoryDatabase, state) => {
      const tables = new AdvisoryTables(state.storage.sql);
      tables.save(record("ORD-1", "2026-01-01T00:00:01Z"), history);
      tables.save(record("ORD-2", "2026-01-01T00:00:01.500Z"), history);
      tables.save(record("ORD-3", "2026-01-01T00:00:02Z"), history);
      const ids = (after: { published: string; id: string } | null) =>
        tables.listRecords({ ...query, after }).map((r) => r.id);
      expect(ids(null)).toEqual(["ORD-3", "ORD-2", "ORD-1"]);
      // The cursor is a record's own `published`, in the record's form.
      expect(ids({ published: "2026-01-01T00:00:02Z", id: "ORD-3" })).toEqual(["ORD-2", "ORD-1"]);
      expect(ids({ published: "2026-01-01T00:00:01.500Z", id: "ORD-2" })).toEqual(["ORD-1"]);
      expect(ids({ published: "2026-01-01T00:00:01Z", id: "ORD-1" })).toEqual([]);
      // The record itself keeps its form.
      expect(tables.listRecords({ ...query, after: null })[2]!.published).toBe("2026-01-01T00:00:01Z");
    });
  });

  it("brings rows written before it to the one form", async () => {
    await runInDurableObject(env.ADVISORY_DATABASE.getByName("order-old-rows"), (_: AdvisoryDatabase, state) => {
      new AdvisoryTables(state.storage.sql).save(record("OLD-1", "2026-01-01T00:00:01.500Z"), history);
      const r = record("OLD-2", "2026-01-01T00:00:01Z");
      state.storage.sql.exec(
        "INSERT INTO advisories (id, published, modified, withdrawn, record) VALUES (?, ?, ?, NULL, ?)",
        r.id,
        r.published,
        r.modified,
        JSON.stringify(r),
      );
      const tables = new AdvisoryTables(state.storage.sql);
      expect(tables.listRecords({ ...query, after: null }).map((x) => x.id)).toEqual(["OLD-1", "OLD-2"]);
      const column = state.storage.sql.exec<{ published: string }>(
        "SELECT published FROM advisories WHERE id = 'OLD-2'",
      );
      expect(column.one().published).toBe("2026-01-01T00:00:01.000Z");
    });
  });

  it("leaves a timestamp with milliseconds as it is", () => {
    expect(sortableTimestamp("2026-01-01T00:00:01.250Z")).toBe("2026-01-01T00:00:01.250Z");
    expect(sortableTimestamp("2026-01-01T00:00:01Z")).toBe("2026-01-01T00:00:01.000Z");
  });
});
