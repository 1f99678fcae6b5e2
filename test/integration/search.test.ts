// Package search: the SearchIndex projection, kept by each PackageWriter's outbox (and the
// reindex-package job, for queued messages and repairs), and
// GET /v1/search's ranking, pagination and refusal of bad queries. Each test searches for words
// only its own packages carry, since the index is shared by the whole file.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import type { JobMessage } from "../../src/jobs/messages";
import type { SearchResults as SearchResponse } from "../../src/api/search";
import { SEARCH_INDEX_NAME } from "../../src/storage/keys";
import { buildArchive } from "../helpers/archive-builder";
import { ADMIN, call, errorCode, publish } from "./helpers";
import { json } from "./access-helpers";

interface Fields {
  description?: string;
  keywords?: string[];
  categories?: string[];
}

function manifest(name: string, version: string, f: Fields): string {
  const list = (xs: string[]) => `[${xs.map((x) => JSON.stringify(x)).join(", ")}]`;
  return [
    "[project]",
    `name = "${name}"`,
    `version = "${version}"`,
    `description = ${JSON.stringify(f.description ?? "A package")}`,
    'license = "MIT"',
    `keywords = ${list(f.keywords ?? [])}`,
    `categories = ${list(f.categories ?? [])}`,
    'ori = "0.5.0"',
    "",
  ].join("\n");
}

/** Publishes a version with these search fields and runs its reindex job. */
async function publishIndexed(name: string, version: string, f: Fields = {}): Promise<void> {
  const res = await publish(name, await buildArchive({ name, version, manifest: manifest(name, version, f) }));
  expect(res.status, await res.clone().text()).toBe(201);
  await reindex(name);
}

async function runJobs(messages: JobMessage[]) {
  const batch = createMessageBatch<JobMessage>(
    "ori-registry-jobs",
    messages.map((body, i) => ({ id: String(i), timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

async function reindex(...names: string[]): Promise<void> {
  const result = await runJobs(names.map((name) => ({ type: "reindex-package", name })));
  expect(result.retryMessages).toEqual([]);
}

async function search(query: string): Promise<SearchResponse> {
  const res = await call(`/v1/search?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as SearchResponse;
}

const names = (r: SearchResponse) => r.results.map((h) => h.name);

describe("queue: reindex-package", () => {
  it("lists a package as soon as its publish answers: the writer's outbox writes the document, no job", async () => {
    const res = await publish(
      "@srchq/widget",
      await buildArchive({
        name: "@srchq/widget",
        version: "1.0.0",
        manifest: manifest("@srchq/widget", "1.0.0", { keywords: ["quokkaq"] }),
      }),
    );
    expect(res.status).toBe(201);
    // No waiting and no job run by hand: the answer came after the outbox wrote the document.
    expect(names(await search("q=quokkaq"))).toEqual(["@srchq/widget"]);
  });

  it("shows a yank, a deprecation and a removal as soon as each answers, with no job", async () => {
    const pkg = "@srchq/changes";
    const publishOnly = async (version: string) => {
      const archive = await buildArchive({
        name: pkg,
        version,
        manifest: manifest(pkg, version, { description: `Wallabyish ${version}` }),
      });
      expect((await publish(pkg, archive)).status).toBe(201);
    };
    await publishOnly("1.0.0");
    await publishOnly("2.0.0");
    expect((await search("q=wallabyish")).results.map((h) => h.version)).toEqual(["2.0.0"]);
    expect((await json("POST", `/v1/packages/${pkg}/2.0.0/yank`, ADMIN)).status).toBe(200);
    expect((await search("q=wallabyish")).results.map((h) => h.version)).toEqual(["1.0.0"]);
    expect((await json("POST", `/v1/packages/${pkg}/1.0.0/deprecate`, ADMIN, { message: "gone soon" })).status).toBe(
      200,
    );
    expect((await search("q=wallabyish")).results).toMatchObject([{ version: "1.0.0", deprecated: "gone soon" }]);
    expect((await json("POST", `/v1/packages/${pkg}/1.0.0/remove`, ADMIN, { reason: "malware" })).status).toBe(200);
    expect(await search("q=wallabyish")).toMatchObject({ total: 0, results: [] });
  });

  it("acks, and is idempotent", async () => {
    await publishIndexed("@srchj/once", "1.0.0", { description: "Wombatish helpers" });
    const result = await runJobs([
      { type: "reindex-package", name: "@srchj/once" },
      { type: "reindex-package", name: "@srchj/once" },
    ]);
    expect(result.explicitAcks).toEqual(["0", "1"]);
    expect(await search("q=wombatish")).toMatchObject({
      total: 1,
      results: [{ name: "@srchj/once", version: "1.0.0", description: "Wombatish helpers" }],
    });
  });

  it("acks a package that does not exist (nothing to list)", async () => {
    const result = await runJobs([{ type: "reindex-package", name: "@srchj/nothing" }]);
    expect(result.explicitAcks).toEqual(["0"]);
  });

  it("ignores an update older than the one the index has (out-of-order jobs)", async () => {
    const index = env.SEARCH_INDEX.getByName(SEARCH_INDEX_NAME);
    const doc = {
      name: "@srchj/order",
      version: "2.0.0",
      description: "Numbat",
      keywords: [],
      categories: [],
      deprecated: null,
      updatedAt: "2026-01-01T00:00:00.000Z",
    };
    expect(await index.save(doc, 5)).toEqual({ applied: true });
    expect(await index.save({ ...doc, version: "1.0.0" }, 4)).toEqual({ applied: false });
    expect(await index.remove("@srchj/order", 3)).toEqual({ applied: false });
    expect((await search("q=numbat")).results.map((h) => h.version)).toEqual(["2.0.0"]);
    expect(await index.remove("@srchj/order", 6)).toEqual({ applied: true });
    expect(await index.save(doc, 5)).toEqual({ applied: false }); // a stale job cannot resurrect it
    expect((await search("q=numbat")).total).toBe(0);
  });
});

describe("GET /v1/search", () => {
  it("ranks an exact name first, then name, keyword and description matches", async () => {
    await publishIndexed("@rank/florp", "1.0.0", { description: "Alpha utilities", keywords: ["alpha"] });
    await publishIndexed("@rank/florpify", "1.0.0", { description: "Beta tools", keywords: ["beta"] });
    await publishIndexed("@rank/kw", "1.0.0", { description: "Gamma things", keywords: ["florp", "gamma"] });
    await publishIndexed("@rank/desc", "1.0.0", { description: "Converts florp documents", keywords: ["delta"] });

    const r = await search("q=florp");
    expect(r).toMatchObject({ query: "florp", total: 4, limit: 20, offset: 0 });
    expect(names(r)).toEqual(["@rank/florp", "@rank/florpify", "@rank/kw", "@rank/desc"]);
    expect(r.results[0]).toEqual({
      name: "@rank/florp",
      version: "1.0.0",
      description: "Alpha utilities",
      keywords: ["alpha"],
      deprecated: null,
      score: expect.any(Number),
    });
    const scores = r.results.slice(1).map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    // The whole name, with or without @, puts that package first.
    expect(names(await search("q=%40rank%2Fkw"))[0]).toBe("@rank/kw");
    expect(names(await search("q=rank/desc"))[0]).toBe("@rank/desc");
  });

  it("matches the last word as a prefix, every word required", async () => {
    await publishIndexed("@prefx/jsonic", "1.0.0", { description: "Reads jsonic files", keywords: ["parser"] });
    await publishIndexed("@prefx/other", "1.0.0", { description: "Writes jsonic files", keywords: ["writer"] });
    expect(names(await search("q=jso"))).toContain("@prefx/jsonic");
    expect(names(await search("q=jsoni"))).toEqual(["@prefx/jsonic", "@prefx/other"]);
    expect(names(await search("q=jsonic+pars"))).toEqual(["@prefx/jsonic"]);
    expect(names(await search("q=writes+jsonic"))).toEqual(["@prefx/other"]);
    // Scope and name are separate words.
    expect(names(await search("q=prefx"))).toEqual(expect.arrayContaining(["@prefx/jsonic", "@prefx/other"]));
  });

  it("matches categories and folds case and diacritics", async () => {
    await publishIndexed("@catg/tool", "1.0.0", { description: "Ein Café-Werkzeug", categories: ["zymurgy"] });
    expect(names(await search("q=ZYMURGY"))).toEqual(["@catg/tool"]);
    expect(names(await search("q=cafe+werkzeug"))).toEqual(["@catg/tool"]);
  });

  it("shows the latest listed version, and drops a package when no version is listed", async () => {
    await publishIndexed("@srchy/lone", "1.0.0", { description: "Platypoid one" });
    await publishIndexed("@srchy/lone", "2.0.0", { description: "Platypoid two" });
    expect((await search("q=platypoid")).results.map((h) => h.version)).toEqual(["2.0.0"]);

    expect((await json("POST", "/v1/packages/@srchy/lone/2.0.0/yank", ADMIN)).status).toBe(200);
    await reindex("@srchy/lone");
    expect((await search("q=platypoid")).results).toMatchObject([{ version: "1.0.0", description: "Platypoid one" }]);

    expect(
      (await json("POST", "/v1/packages/@srchy/lone/1.0.0/deprecate", ADMIN, { message: "use @srchy/other" })).status,
    ).toBe(200);
    await reindex("@srchy/lone");
    expect((await search("q=platypoid")).results).toMatchObject([{ version: "1.0.0", deprecated: "use @srchy/other" }]);

    expect((await json("POST", "/v1/packages/@srchy/lone/1.0.0/yank", ADMIN)).status).toBe(200);
    await reindex("@srchy/lone");
    expect(await search("q=platypoid")).toMatchObject({ total: 0, results: [] });

    expect((await json("POST", "/v1/packages/@srchy/lone/1.0.0/unyank", ADMIN)).status).toBe(200);
    await reindex("@srchy/lone");
    expect((await search("q=platypoid")).results.map((h) => h.version)).toEqual(["1.0.0"]);
  });

  it("shows the highest stable version, a pre-release only while there is no stable one", async () => {
    await publishIndexed("@srchy/pre", "2.0.0-beta.1", { description: "Quokkaish beta" });
    expect((await search("q=quokkaish")).results.map((h) => h.version)).toEqual(["2.0.0-beta.1"]);
    await publishIndexed("@srchy/pre", "1.5.0", { description: "Quokkaish stable" });
    await publishIndexed("@srchy/pre", "2.0.0-rc.1", { description: "Quokkaish rc" });
    expect((await search("q=quokkaish")).results).toMatchObject([
      { version: "1.5.0", description: "Quokkaish stable" },
    ]);
  });

  it("drops a package whose only version an admin removed or deleted", async () => {
    await publishIndexed("@srchy/removed", "1.0.0", { description: "Echidnoid removed" });
    await publishIndexed("@srchy/deleted", "1.0.0", { description: "Echidnoid deleted" });
    expect((await search("q=echidnoid")).total).toBe(2);
    expect((await json("POST", "/v1/packages/@srchy/removed/1.0.0/remove", ADMIN, { reason: "malware" })).status).toBe(
      200,
    );
    expect((await json("DELETE", "/v1/packages/@srchy/deleted/1.0.0", ADMIN, { reason: "legal" })).status).toBe(200);
    await reindex("@srchy/removed", "@srchy/deleted");
    expect(await search("q=echidnoid")).toMatchObject({ total: 0, results: [] });
  });

  it("pages through the results in a stable order", async () => {
    const all = ["a", "b", "c", "d", "e"].map((x) => `@pages/item-${x}`);
    for (const name of all)
      await publishIndexed(name, "1.0.0", { description: "Kinkajou collection", keywords: ["kinkajou"] });
    const first = await search("q=kinkajou&limit=2");
    const second = await search("q=kinkajou&limit=2&offset=2");
    const third = await search("q=kinkajou&limit=2&offset=4");
    expect([first.total, second.total, third.total]).toEqual([5, 5, 5]);
    expect([first, second, third].map((p) => p.results.length)).toEqual([2, 2, 1]);
    expect([...names(first), ...names(second), ...names(third)].sort()).toEqual(all);
    expect(names(await search("q=kinkajou&limit=5"))).toEqual([...names(first), ...names(second), ...names(third)]);
    expect(await search("q=kinkajou&offset=1000")).toMatchObject({ total: 5, results: [] });
  });

  it.each([
    ["no q", ""],
    ["an empty q", "q="],
    ["a blank q", "q=%20%20"],
    ["a 101-character q", `q=${"a".repeat(101)}`],
    ["limit 0", "q=x&limit=0"],
    ["limit 101", "q=x&limit=101"],
    ["a word for limit", "q=x&limit=ten"],
    ["a negative offset", "q=x&offset=-1"],
    ["offset 1001", "q=x&offset=1001"],
  ])("answers 400 bad_request for %s", async (_, query) => {
    const res = await call(`/v1/search?${query}`);
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe("bad_request");
  });

  it("never answers 500 to hostile queries", async () => {
    const hostile = [
      '"',
      '""',
      '"unterminated',
      "*",
      "**",
      "a*b",
      "NEAR(",
      "NEAR(a b, 2)",
      "AND OR",
      "AND",
      "OR NOT",
      "^",
      "^a",
      "a:b",
      "name:x",
      "{name}: x",
      "(",
      ")",
      "-x",
      "+",
      "a - b",
      "🦀",
      "🦀 json 🎉",
      "x".repeat(200),
      "ﬁ",
      "\u0000",
      "%",
      "_",
      "\\",
      "'; DROP TABLE packages; --",
      "a".repeat(100),
    ];
    for (const q of hostile) {
      const res = await call(`/v1/search?q=${encodeURIComponent(q)}`);
      expect([200, 400], `q=${JSON.stringify(q)} → ${res.status}`).toContain(res.status);
      const body = (await res.json()) as { results?: unknown[]; error?: { code: string } };
      if (res.status === 200) expect(Array.isArray(body.results)).toBe(true);
      else expect(body.error?.code).toBe("bad_request");
    }
    // The index still answers after all of that.
    expect((await search("q=kinkajou")).total).toBeGreaterThanOrEqual(0);
  });

  it("answers an empty page for a query without words", async () => {
    expect(await search(`q=${encodeURIComponent('"*^ 🦀')}`)).toMatchObject({ total: 0, results: [] });
  });
});
