// The request-body limits the advisory and OSV routes declare in the contract (src/api/
// advisories.ts, osv.ts): a record up to 256 KiB, a query batch and a lock file up to 1 MiB,
// everything else the default 64 KiB — each past its limit a 400 that stores nothing — and the
// OSV routes' error form on a refusal that comes before the handler (authentication).
import { describe, expect, it } from "vitest";
import { DEFAULT_BODY_BYTES } from "../../src/api/contract";
import { MAX_ADVISORY_BYTES, MAX_LOCK_BYTES } from "../../src/api/advisories";
import { MAX_BATCH_BYTES } from "../../src/api/osv";
import { ADMIN, call } from "./helpers";
import { json } from "./access-helpers";
import { advisoryState, createAdvisory, sampleSubmission, semverEntry } from "./advisory-helpers";

const bytes = (body: unknown) => new TextEncoder().encode(JSON.stringify(body)).length;
/** 100 references of 2,000-character URLs: a valid record of about 200 KiB. */
const references = Array.from({ length: 100 }, (_, i) => ({
  type: "WEB",
  url: `https://example.com/${i}/${"a".repeat(1980)}`,
}));
const bigRecord = () =>
  sampleSubmission({ aliases: [], references, affected: [semverEntry("@limits/http", [{ introduced: "0" }])] });

describe("advisory request bodies", () => {
  it("takes a record past the default limit, up to 256 KiB", async () => {
    const body = bigRecord();
    expect(bytes(body)).toBeGreaterThan(DEFAULT_BODY_BYTES);
    expect(bytes(body)).toBeLessThan(MAX_ADVISORY_BYTES);
    const created = await createAdvisory(body);
    expect(created.references).toHaveLength(100);
    const res = await json("PUT", `/v1/advisories/${created.id}`, ADMIN, { ...body, summary: "Replaced, as large" });
    expect(res.status).toBe(200);
  });

  it("refuses a record over 256 KiB with 400, storing nothing", async () => {
    const body = { ...bigRecord(), database_specific: { padding: "x".repeat(MAX_ADVISORY_BYTES) } };
    const before = await advisoryState();
    const res = await json("POST", "/v1/advisories", ADMIN, body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: "bad_request", message: expect.stringMatching(/larger than 262144 bytes/) },
    });
    expect(await advisoryState()).toEqual(before);
  });

  it("keeps the default 64 KiB for a withdrawal", async () => {
    const created = await createAdvisory(
      sampleSubmission({ aliases: [], affected: [semverEntry("@limits/json", [{ introduced: "0" }])] }),
    );
    const res = await json("POST", `/v1/advisories/${created.id}/withdraw`, ADMIN, {
      reason: "x",
      padding: "y".repeat(DEFAULT_BODY_BYTES),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/larger than 65536 bytes/);
    expect(
      ((await (await call(`/v1/advisories/${created.id}`)).json()) as { withdrawn?: string }).withdrawn,
    ).toBeUndefined();
  });

  it("takes a lock file past the default limit, and refuses one over 1 MiB", async () => {
    const line = (i: number) => `"@limits/p${i}:1.0.0" = "sha256:${"a".repeat(64)}"\n`;
    const lock = (n: number) => `[checksums]\n${Array.from({ length: n }, (_, i) => line(i)).join("")}`;
    const ok = lock(400); // 400 packages, ~40 KiB — under the audit's 500-package limit
    const big = `${lock(1)}${"# padding\n".repeat(MAX_LOCK_BYTES / 10)}`;
    expect(new TextEncoder().encode(big).length).toBeGreaterThan(MAX_LOCK_BYTES);
    const padded = `${ok}${"#".repeat(DEFAULT_BODY_BYTES)}\n`;
    const res = await call("/v1/audit", { method: "POST", headers: { "content-type": "text/plain" }, body: padded });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { summary: { entries: number } }).summary.entries).toBe(400);
    const refused = await call("/v1/audit", { method: "POST", headers: { "content-type": "text/plain" }, body: big });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /larger than 1048576 bytes/,
    );
    const asJson = await call("/v1/audit", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ lockfile: big }),
    });
    expect(asJson.status).toBe(400);
  });
});

describe("OSV request bodies and errors", () => {
  const query = { package: { name: "@limits/http", ecosystem: "Ori" }, version: "1.0.0" };

  it("keeps the default 64 KiB for one query, and takes a batch up to 1 MiB", async () => {
    const one = await call("/v1/query", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...query, page_token: undefined, padding: "p".repeat(DEFAULT_BODY_BYTES) }),
    });
    expect(one.status).toBe(400);
    expect(((await one.json()) as { code: number }).code).toBe(3);
    const padded = { queries: Array.from({ length: 1000 }, () => query), padding: "p".repeat(MAX_BATCH_BYTES / 2) };
    expect(bytes(padded)).toBeGreaterThan(DEFAULT_BODY_BYTES);
    expect(
      (
        await call("/v1/querybatch", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(padded),
        })
      ).status,
    ).toBe(200);
    const over = await call("/v1/querybatch", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ queries: [query], padding: "p".repeat(MAX_BATCH_BYTES) }),
    });
    expect(over.status).toBe(400);
    expect(await over.json()).toEqual({
      code: 3,
      message: expect.stringMatching(/larger than 1048576 bytes/),
      error: { code: "bad_request", message: expect.any(String) },
    });
  });

  it("answers a refusal before the handler in osv.dev's form too, and other routes in the registry's", async () => {
    const res = await call("/v1/vulns/ORI-2026-0001", { headers: { authorization: "Bearer ori_not_a_real_token" } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      code: 16,
      message: expect.any(String),
      error: { code: "unauthorized", message: expect.any(String) },
    });
    const other = await call("/v1/advisories/ORI-2001-0001");
    expect(await other.json()).toEqual({ error: { code: "advisory_not_found", message: expect.any(String) } });
  });
});
