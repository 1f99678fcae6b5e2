// The web UI's lists are bounded reads of the search index, whatever its size: the query plans
// of "recently published" and a scope's page walk an index (packages_by_update, the name's
// unique index), never the whole table. And what they answer: newest first, a scope's names only.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SearchDocument } from "../../src/domain/search";
import { LIST_QUERIES, type SearchIndex } from "../../src/objects/search-index";
import { Search } from "../../src/services/search";
import { SEARCH_INDEX_NAME } from "../../src/storage/keys";

const stub = () => env.SEARCH_INDEX.getByName(SEARCH_INDEX_NAME);

async function plan(sql: string, ...args: unknown[]): Promise<string> {
  return runInDurableObject(stub(), (_obj: SearchIndex, state) =>
    state.storage.sql
      .exec<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, ...args)
      .toArray()
      .map((r) => r.detail)
      .join("\n"),
  );
}

function doc(name: string, updatedAt: string): SearchDocument {
  return { name, version: "1.0.0", description: "d", keywords: [], categories: [], deprecated: null, updatedAt };
}

describe("SearchIndex: the web UI's bounded lists", () => {
  it("reads recently published through packages_by_update and a scope through the name index", async () => {
    await new Search(env).save(doc("@plan/a", "2026-01-01T00:00:00.000Z"), 1);
    const recent = await plan(LIST_QUERIES.recent(), 10);
    expect(recent).toContain("packages_by_update");
    expect(recent).not.toMatch(/USE TEMP B-TREE/);
    const scope = await plan(LIST_QUERIES.scopePage, "@plan/", "@plan0", 50, 0);
    expect(scope).toMatch(/USING INDEX sqlite_autoindex_packages_1 \(name>\? AND name<\?\)/);
    expect(scope).not.toMatch(/USE TEMP B-TREE/);
    expect(await plan(LIST_QUERIES.scopeCount, "@plan/", "@plan0")).toMatch(/\(name>\? AND name<\?\)/);
  });

  it("answers the newest first, unlisted packages left out, and a scope's packages only", async () => {
    const search = new Search(env);
    await search.save(doc("@recent/old", "2030-01-01T00:00:00.000Z"), 1);
    await search.save(doc("@recent/new", "2030-01-03T00:00:00.000Z"), 1);
    await search.save(doc("@recent/mid", "2030-01-02T00:00:00.000Z"), 1);
    await search.save(doc("@recent-other/x", "2030-01-04T00:00:00.000Z"), 1);
    await search.remove("@recent/mid", 2);
    const recent = (await search.recent(3, null)).map((d) => d.name);
    expect(recent).toEqual(["@recent-other/x", "@recent/new", "@recent/old"]);
    expect((await search.recent(5, ["@recent/*"])).map((d) => d.name)).toEqual(["@recent/new", "@recent/old"]);
    const scope = await search.inScope("@recent", 10, 0);
    expect(scope).toEqual({
      total: 2,
      packages: [expect.objectContaining({ name: "@recent/new" }), expect.objectContaining({ name: "@recent/old" })],
    });
    expect((await search.inScope("@recent", 1, 1)).packages.map((d) => d.name)).toEqual(["@recent/old"]);
  });
});
