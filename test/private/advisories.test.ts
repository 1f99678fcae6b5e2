// The advisory database in private mode: every read — the POST ones too — needs a read-scoped
// token, and a token limited to some packages learns nothing about the others: it sees the
// advisories naming its packages with the other packages' entries removed, and no export.
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { sampleSubmission, semverEntry } from "../../src/advisories/fixtures";
import type { OsvRecord } from "../../src/advisories/osv";
import { buildArchive } from "../helpers/archive-builder";

const ADMIN = "ori_test_admin_token_0123456789abcdef";
const call = (path: string, token: string | null, init: RequestInit = {}) =>
  (exports as unknown as { default: Fetcher }).default.fetch(`http://registry.test${path}`, {
    ...init,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.headers as Record<string, string> | undefined),
    },
  });
const post = (path: string, token: string | null, body: unknown, type = "application/json") =>
  call(path, token, {
    method: "POST",
    headers: { "content-type": type },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

let limited: string;
let reader: string;
let shared: OsvRecord; // names @adv/app and @adv/secret
let secretOnly: OsvRecord; // names @adv/secret only

beforeAll(async () => {
  const user = await post("/v1/admin/users", ADMIN, { username: "advcorp" });
  const first = ((await user.json()) as { token: { token: string } }).token.token;
  for (const name of ["app", "secret"]) {
    const res = await call(`/v1/packages/@adv/${name}/publish`, first, {
      method: "POST",
      headers: { "content-type": "application/gzip" },
      body: await buildArchive({ name: `@adv/${name}`, version: "1.0.0" }),
    });
    expect(res.status).toBe(201);
  }
  limited = (
    (await (await post("/v1/tokens", first, { name: "ci", scopes: ["read"], packages: ["@adv/app"] })).json()) as {
      token: string;
    }
  ).token;
  reader = ((await (await post("/v1/tokens", first, { name: "all", scopes: ["read"] })).json()) as { token: string })
    .token;
  const create = async (body: Record<string, unknown>) => {
    const res = await post("/v1/advisories", ADMIN, body);
    expect(res.status).toBe(201);
    return (await res.json()) as OsvRecord;
  };
  shared = await create(
    sampleSubmission({
      aliases: ["CVE-2026-9100"],
      affected: [semverEntry("@adv/app", [{ introduced: "0" }]), semverEntry("@adv/secret", [{ introduced: "0" }])],
    }),
  );
  secretOnly = await create(
    sampleSubmission({ aliases: ["CVE-2026-9200"], affected: [semverEntry("@adv/secret", [{ introduced: "0" }])] }),
  );
});

const lock = (name: string) => `[checksums]\n"${name}:1.0.0" = "sha256:${"a".repeat(64)}"\n`;

describe("advisories in private mode", () => {
  it("refuses every read without a token, the POST reads too", async () => {
    const reads: [string, () => Promise<Response>][] = [
      ["list", () => call("/v1/advisories", null)],
      ["by id", () => call(`/v1/advisories/${shared.id}`, null)],
      ["history", () => call(`/v1/advisories/${shared.id}/history`, null)],
      ["vulns", () => call(`/v1/vulns/${shared.id}`, null)],
      ["export", () => call("/v1/advisories/export/all.zip", null)],
      ["query", () => post("/v1/query", null, { package: { name: "@adv/app", ecosystem: "Ori" } })],
      ["querybatch", () => post("/v1/querybatch", null, { queries: [] })],
      ["audit", () => post("/v1/audit", null, lock("@adv/app"), "text/plain")],
    ];
    for (const [name, send] of reads) expect((await send()).status, name).toBe(401);
  });

  it("serves an unlimited read token everything", async () => {
    const list = (await (await call("/v1/advisories", reader)).json()) as { advisories: OsvRecord[] };
    expect(list.advisories.map((a) => a.id)).toEqual([secretOnly.id, shared.id]);
    expect((await call("/v1/advisories/export/all.zip", reader)).status).toBe(200);
    const res = await call(`/v1/advisories/${shared.id}`, reader);
    expect(res.headers.get("cache-control")).toContain("private");
  });

  it("shows a limited token only the advisories naming its packages, without the other packages' entries", async () => {
    const list = (await (await call("/v1/advisories", limited)).json()) as { advisories: OsvRecord[] };
    expect(list.advisories.map((a) => a.id)).toEqual([shared.id]);
    expect(JSON.stringify(list)).not.toContain("@adv/secret");
    const one = (await (await call(`/v1/advisories/${shared.id}`, limited)).json()) as OsvRecord;
    expect(one.affected?.map((a) => a.package.name)).toEqual(["@adv/app"]);
    const history = await (await call(`/v1/advisories/${shared.id}/history`, limited)).text();
    expect(history).not.toContain("@adv/secret");
  });

  it("hides from a limited token what names none of its packages: by id, alias, package, query, batch, audit", async () => {
    expect((await call(`/v1/advisories/${secretOnly.id}`, limited)).status).toBe(404);
    expect((await call("/v1/advisories/CVE-2026-9200", limited)).status).toBe(404);
    expect((await call(`/v1/vulns/${secretOnly.id}`, limited)).status).toBe(404);
    expect((await call("/v1/advisories?package=@adv/secret", limited)).status).toBe(404);
    expect(
      await (
        await post("/v1/query", limited, { package: { name: "@adv/secret", ecosystem: "Ori" }, version: "1.0.0" })
      ).json(),
    ).toEqual({});
    const batch = (await (
      await post("/v1/querybatch", limited, {
        queries: [
          { package: { name: "@adv/secret", ecosystem: "Ori" } },
          { package: { name: "@adv/app", ecosystem: "Ori" } },
        ],
      })
    ).json()) as { results: { vulns?: { id: string }[] }[] };
    expect(batch.results.map((r) => (r.vulns ?? []).map((v) => v.id))).toEqual([[], [shared.id]]);
    const audit = (await (
      await post(
        "/v1/audit",
        limited,
        `[checksums]\n"@adv/app:1.0.0" = "sha256:${"a".repeat(64)}"\n"@adv/secret:1.0.0" = "sha256:${"b".repeat(64)}"\n`,
        "text/plain",
      )
    ).json()) as { entries: { name: string; problem: string | null; advisories: { id: string }[] }[] };
    expect(audit.entries.map((e) => [e.name, e.problem === "unknown_package", e.advisories.map((a) => a.id)])).toEqual([
      ["@adv/app", false, [shared.id]],
      ["@adv/secret", true, []],
    ]);
  });

  it("refuses the export to a limited token (it lists every package)", async () => {
    expect((await call("/v1/advisories/export/all.zip", limited)).status).toBe(403);
    expect((await call("/v1/advisories/export/modified_id.csv", limited)).status).toBe(403);
  });
});
