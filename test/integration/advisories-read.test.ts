// Reading the advisory database: lists by package and version, where advisories show (version
// metadata and lists), osv.dev's query API, and the offline export.
import { runInDurableObject } from "cloudflare:test";
import { unzipSync, strFromU8 } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import type { OsvRecord } from "../../src/advisories/osv";
import { checkSchema } from "../../src/advisories/schema";
import { buildRecord, splitSubmission } from "../../src/advisories/validate";
import type { AdvisoryDatabase } from "../../src/objects/advisory-database";
import { AdvisoryTables } from "../../src/objects/advisory-tables";
import { buildArchive } from "../helpers/archive-builder";
import { ADMIN, call, errorCode, publish } from "./helpers";
import { json } from "./access-helpers";
import { createAdvisory, database, sampleSubmission, semverEntry } from "./advisory-helpers";

let http: OsvRecord; // @read/http < 1.2.3 and 2.0.0 (fixed 2.0.1), CVSS 9.8
let low: OsvRecord; // @read/http 1.0.0 to 1.9.0 (last_affected), no severity
let gone: OsvRecord; // @read/http, withdrawn
let other: OsvRecord; // @read/json only

beforeAll(async () => {
  for (const v of ["1.0.0", "1.2.3", "1.9.0", "2.0.0", "2.0.1"])
    expect((await publish("@read/http", await buildArchive({ name: "@read/http", version: v }))).status).toBe(201);
  http = await createAdvisory(
    sampleSubmission({
      aliases: ["CVE-2026-7000"],
      affected: [
        semverEntry("@read/http", [
          { introduced: "0" },
          { fixed: "1.2.3" },
          { introduced: "2.0.0" },
          { fixed: "2.0.1" },
        ]),
      ],
    }),
  );
  low = await createAdvisory(
    sampleSubmission({
      aliases: [],
      severity: undefined,
      summary: "Low one",
      affected: [semverEntry("@read/http", [{ introduced: "1.0.0" }, { last_affected: "1.9.0" }])],
    }),
  );
  gone = await createAdvisory(
    sampleSubmission({ aliases: [], affected: [semverEntry("@read/http", [{ introduced: "0" }])] }),
  );
  expect((await json("POST", `/v1/advisories/${gone.id}/withdraw`, ADMIN, { reason: "mistake" })).status).toBe(200);
  other = await createAdvisory(
    sampleSubmission({ aliases: [], affected: [semverEntry("@read/json", [{ introduced: "0" }])] }),
  );
});

const ids = (records: { id: string }[]) => records.map((r) => r.id);

describe("GET /v1/advisories", () => {
  it("lists the newest first", async () => {
    const body = (await (await call("/v1/advisories")).json()) as { advisories: OsvRecord[] };
    const listed = ids(body.advisories);
    expect(listed.indexOf(other.id)).toBeLessThan(listed.indexOf(low.id));
    expect(listed.indexOf(low.id)).toBeLessThan(listed.indexOf(http.id));
    expect(listed).not.toContain(gone.id);
  });

  it("filters by package, by version, and shows withdrawn records on request", async () => {
    const byPackage = (await (await call("/v1/advisories?package=@read/http")).json()) as { advisories: OsvRecord[] };
    expect(ids(byPackage.advisories)).toEqual([low.id, http.id]);
    const at = async (v: string) =>
      ids(
        ((await (await call(`/v1/advisories?package=@read/http&version=${v}`)).json()) as { advisories: OsvRecord[] })
          .advisories,
      );
    expect(await at("1.0.0")).toEqual([low.id, http.id]);
    expect(await at("1.2.3")).toEqual([low.id]);
    expect(await at("2.0.0")).toEqual([http.id]);
    expect(await at("2.0.1")).toEqual([]);
    const all = (await (await call("/v1/advisories?package=@read/http&include_withdrawn=true")).json()) as {
      advisories: OsvRecord[];
    };
    expect(ids(all.advisories)).toEqual([gone.id, low.id, http.id]);
  });

  it("pages with next_page_token until none is left", async () => {
    const seen: string[] = [];
    let token: string | undefined;
    for (let i = 0; i < 20; i++) {
      const body = (await (await call(`/v1/advisories?limit=2${token ? `&page_token=${token}` : ""}`)).json()) as {
        advisories: OsvRecord[];
        next_page_token?: string;
      };
      seen.push(...ids(body.advisories));
      token = body.next_page_token;
      if (!token) break;
    }
    const everything = (await (await call("/v1/advisories?limit=200")).json()) as { advisories: OsvRecord[] };
    expect(seen).toEqual(ids(everything.advisories));
  });

  it.each([
    "package=acme",
    "package=@read/http&version=1.0",
    "version=1.0.0",
    "limit=0",
    "limit=201",
    "include_withdrawn=yes",
    "page_token=nope",
  ])("refuses ?%s with a 400", async (q) => {
    const res = await call(`/v1/advisories?${q}`);
    expect(res.status).toBe(400);
  });
});

describe("where advisories show", () => {
  it("a version's metadata lists the advisories affecting it: id, summary, severity with its score, aliases, the fix", async () => {
    const meta = (await (await call("/v1/packages/@read/http/1.0.0/metadata")).json()) as {
      advisories: Record<string, unknown>[];
    };
    expect(meta.advisories).toEqual([
      {
        id: http.id,
        summary: http.summary,
        aliases: ["CVE-2026-7000"],
        severity: [
          {
            type: "CVSS_V3",
            vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            baseScore: 9.8,
            baseSeverity: "CRITICAL",
          },
        ],
        fixedIn: "1.2.3",
        modified: http.modified,
        withdrawn: null,
      },
      {
        id: low.id,
        summary: "Low one",
        aliases: [],
        severity: [],
        fixedIn: null,
        modified: low.modified,
        withdrawn: null,
      },
    ]);
    const fixed = (await (await call("/v1/packages/@read/http/2.0.1/metadata")).json()) as { advisories: unknown[] };
    expect(fixed.advisories).toEqual([]);
  });

  it("the version list flags affected versions", async () => {
    const list = (await (await call("/v1/packages/@read/http/versions")).json()) as {
      versions: { version: string; advisories: string[] }[];
    };
    expect(list.versions.map((v) => [v.version, v.advisories])).toEqual([
      ["1.0.0", [http.id, low.id]],
      ["1.2.3", [low.id]],
      ["1.9.0", [low.id]],
      ["2.0.0", [http.id]],
      ["2.0.1", []],
    ]);
  });

  it("a new advisory shows on a published version without republishing, and a withdrawal hides it", async () => {
    const before = (await (await call("/v1/packages/@read/http/2.0.1/metadata")).json()) as { advisories: unknown[] };
    expect(before.advisories).toEqual([]);
    const late = await createAdvisory(
      sampleSubmission({
        aliases: [],
        affected: [{ package: { ecosystem: "Ori", name: "@read/http" }, versions: ["2.0.1"] }],
      }),
    );
    const after = (await (await call("/v1/packages/@read/http/2.0.1/metadata")).json()) as {
      advisories: { id: string }[];
    };
    expect(ids(after.advisories)).toEqual([late.id]);
    await json("POST", `/v1/advisories/${late.id}/withdraw`, ADMIN, { reason: "wrong version" });
    expect(
      ((await (await call("/v1/packages/@read/http/2.0.1/metadata")).json()) as { advisories: unknown[] }).advisories,
    ).toEqual([]);
  });
});

describe("POST /v1/query", () => {
  const query = (body: unknown) =>
    call("/v1/query", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("answers the full records affecting a version, by id", async () => {
    const body = (await (
      await query({ package: { name: "@read/http", ecosystem: "Ori" }, version: "1.0.0" })
    ).json()) as { vulns: OsvRecord[] };
    expect(ids(body.vulns)).toEqual([http.id, low.id].sort());
    expect(body.vulns.find((v) => v.id === http.id)).toEqual(http);
  });

  it("answers every advisory of the package without a version, never a withdrawn one", async () => {
    const body = (await (await query({ package: { name: "@read/http", ecosystem: "Ori" } })).json()) as {
      vulns: OsvRecord[];
    };
    expect(ids(body.vulns)).toEqual([http.id, low.id].sort());
  });

  it("answers {} when nothing matches, as osv.dev does", async () => {
    expect(await (await query({ package: { name: "@read/http", ecosystem: "Ori" }, version: "2.0.1" })).json()).toEqual(
      {},
    );
    expect(await (await query({ package: { name: "left-pad", ecosystem: "npm" }, version: "1.0.0" })).json()).toEqual(
      {},
    );
    expect(
      await (await query({ package: { name: "@nobody/here", ecosystem: "Ori" }, version: "1.0.0" })).json(),
    ).toEqual({});
  });

  it("never reports a version it cannot parse as safe", async () => {
    const body = (await (await query({ package: { name: "@read/http", ecosystem: "Ori" }, version: "v1" })).json()) as {
      vulns: OsvRecord[];
    };
    expect(ids(body.vulns)).toEqual([http.id, low.id].sort());
  });

  it.each([
    ["a commit", { commit: "a".repeat(40) }],
    ["a purl", { package: { purl: "pkg:ori/read/http@1.0.0" } }],
    ["no package", { version: "1.0.0" }],
    ["a bad page token", { package: { name: "@read/http", ecosystem: "Ori" }, page_token: "x" }],
  ])("refuses %s with 400 and osv.dev's error fields", async (_n, body) => {
    const res = await query(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      code: 3,
      message: expect.any(String),
      error: { code: "bad_request", message: expect.any(String) },
    });
  });

  it("pages past 1,000 vulnerabilities with next_page_token", async () => {
    // 1,001 records naming one package, written straight into the database's tables.
    await runInDurableObject(database(), (_obj: AdvisoryDatabase, state) => {
      const tables = new AdvisoryTables(state.storage.sql);
      const { content } = splitSubmission(
        sampleSubmission({ aliases: [], affected: [semverEntry("@many/pkg", [{ introduced: "0" }])] }),
        "create",
      );
      for (let i = 1; i <= 1001; i++) {
        tables.save(
          buildRecord(content, {
            id: `ORI-1999-${String(i).padStart(4, "0")}`,
            published: "1999-01-01T00:00:00Z",
            modified: "1999-01-01T00:00:00Z",
          }),
          { at: "1999-01-01T00:00:00Z", actor: "test", action: "create", reason: null },
        );
      }
    });
    const first = (await (
      await query({ package: { name: "@many/pkg", ecosystem: "Ori" }, version: "1.0.0" })
    ).json()) as { vulns: OsvRecord[]; next_page_token: string };
    expect(first.vulns).toHaveLength(1000);
    expect(first.next_page_token).toEqual(expect.any(String));
    const second = (await (
      await query({
        package: { name: "@many/pkg", ecosystem: "Ori" },
        version: "1.0.0",
        page_token: first.next_page_token,
      })
    ).json()) as { vulns: OsvRecord[]; next_page_token?: string };
    expect(ids(second.vulns)).toEqual(["ORI-1999-1001"]);
    expect(second.next_page_token).toBeUndefined();
    const batch = (await (
      await call("/v1/querybatch", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ queries: [{ package: { name: "@many/pkg", ecosystem: "Ori" } }] }),
      })
    ).json()) as { results: { vulns: unknown[]; next_page_token?: string }[] };
    expect(batch.results[0]!.vulns).toHaveLength(1000);
    expect(batch.results[0]!.next_page_token).toEqual(expect.any(String));
  });
});

describe("POST /v1/querybatch", () => {
  const batch = (body: unknown) =>
    call("/v1/querybatch", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("answers in the order asked, {id, modified} only, {} where nothing matches", async () => {
    const res = await batch({
      queries: [
        { package: { name: "@read/http", ecosystem: "Ori" }, version: "2.0.0" },
        { package: { name: "@read/http", ecosystem: "Ori" }, version: "2.0.1" },
        { package: { name: "@read/json", ecosystem: "Ori" }, version: "0.1.0" },
        { package: { name: "requests", ecosystem: "PyPI" }, version: "2.0.0" },
      ],
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      results: [
        { vulns: [{ id: http.id, modified: http.modified }] },
        {},
        { vulns: [{ id: other.id, modified: other.modified }] },
        {},
      ],
    });
  });

  it("takes 1,000 queries and refuses 1,001", async () => {
    const q = { package: { name: "@read/http", ecosystem: "Ori" }, version: "1.0.0" };
    const ok = (await (await batch({ queries: Array.from({ length: 1000 }, () => q) })).json()) as {
      results: unknown[];
    };
    expect(ok.results).toHaveLength(1000);
    const res = await batch({ queries: Array.from({ length: 1001 }, () => q) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/too many queries/);
  });

  it("names the query that is wrong", async () => {
    const res = await batch({ queries: [{ package: { name: "@read/http", ecosystem: "Ori" } }, { commit: "abc" }] });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /^queries\[1\]: commit queries/,
    );
  });
});

describe("GET /v1/vulns/{id}", () => {
  it("answers the record by id or alias, and 404 with osv.dev's NOT_FOUND code", async () => {
    expect(await (await call(`/v1/vulns/${http.id}`)).json()).toEqual(http);
    expect(((await (await call("/v1/vulns/CVE-2026-7000")).json()) as OsvRecord).id).toBe(http.id);
    const res = await call("/v1/vulns/ORI-2001-0001");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      code: 5,
      message: expect.any(String),
      error: { code: "advisory_not_found", message: expect.any(String) },
    });
  });
});

describe("the export", () => {
  it("all.zip holds one <ID>.json per record (withdrawn ones too), each a valid OSV record", async () => {
    const res = await call("/v1/advisories/export/all.zip");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    for (const r of [http, low, gone, other]) expect(Object.keys(files)).toContain(`${r.id}.json`);
    for (const [name, bytes] of Object.entries(files)) {
      const record = JSON.parse(strFromU8(bytes)) as OsvRecord;
      expect(`${record.id}.json`).toBe(name);
      expect(checkSchema(record)).toBeNull();
    }
    expect((JSON.parse(strFromU8(files[`${gone.id}.json`]!)) as OsvRecord).withdrawn).toEqual(expect.any(String));
  });

  it("modified_id.csv is <modified>,<ID> per line, newest first", async () => {
    const res = await call("/v1/advisories/export/modified_id.csv");
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const lines = (await res.text()).trimEnd().split("\n");
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?Z,ORI-\d{4}-\d{4,}$/);
    const times = lines.map((l) => Date.parse(l.split(",")[0]!));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(lines.map((l) => l.split(",")[1])).toContain(gone.id);
  });

  it("answers 304 while the database has not changed", async () => {
    const first = await call("/v1/advisories/export/all.zip");
    const etag = first.headers.get("etag")!;
    expect((await call("/v1/advisories/export/all.zip", { headers: { "if-none-match": etag } })).status).toBe(304);
    await createAdvisory(
      sampleSubmission({ aliases: [], affected: [semverEntry("@read/later", [{ introduced: "0" }])] }),
    );
    expect((await call("/v1/advisories/export/all.zip", { headers: { "if-none-match": etag } })).status).toBe(200);
  });
});

describe("reads need nothing but the read scope in a public registry", () => {
  it("an anonymous reader gets 200; a bad token gets 401", async () => {
    expect((await call("/v1/advisories")).status).toBe(200);
    expect(
      await errorCode(
        await call("/v1/advisories", { headers: { authorization: "Bearer ori_not_a_real_token_000000" } }),
      ),
    ).toBe("unauthorized");
  });
});
