// Private mode decides on the route that matched, never on the URL's spelling: a package or scope
// outside a limited token's patterns stays hidden however its path is percent-encoded (Hono
// routes on the decoded path), and every route's declared policy is the one checked.
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
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
const post = (path: string, token: string, body: unknown) =>
  call(path, token, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

let limited: string;

beforeAll(async () => {
  const bob = (
    (await (await post("/v1/admin/users", ADMIN, { username: "bobco-owner" })).json()) as { token: { token: string } }
  ).token.token;
  for (const pkg of ["@bobco/secret", "@visible/app"]) {
    const res = await call(`/v1/packages/${pkg}/publish`, bob, {
      method: "POST",
      headers: { "content-type": "application/gzip" },
      body: await buildArchive({ name: pkg, version: "1.0.0" }),
    });
    expect(res.status).toBe(201);
  }
  limited = (
    (await (await post("/v1/tokens", bob, { name: "ci", scopes: ["read"], packages: ["@visible/*"] })).json()) as {
      token: string;
    }
  ).token;
});

/** Every letter of the path percent-encoded (`s` → `%73`), upper- or lower-case hex. */
function encodeLetters(path: string, upper = false): string {
  return path.replace(/[a-z]/g, (ch) => {
    const hex = ch.charCodeAt(0).toString(16);
    return `%${upper ? hex.toUpperCase() : hex}`;
  });
}

const HIDDEN = [
  "/v1/scopes/@bobco/members",
  "/v1/scopes/bobco/members",
  "/v1/packages/@bobco/secret/versions",
  "/v1/packages/@bobco/secret/1.0.0/metadata",
  "/v1/packages/@bobco/secret/1.0.0/download",
  "/v1/packages/@bobco/secret/owners",
  "/v1/log/lookup/@bobco/secret/1.0.0",
];

describe("private mode, whatever the URL's spelling", () => {
  it("the reported bypass: /v1/%73copes/@bobco/members is hidden from a token limited to other packages", async () => {
    const res = await call("/v1/%73copes/@bobco/members", limited);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("bobco-owner");
  });

  it.each(HIDDEN.flatMap((p) => [[p], [encodeLetters(p)], [encodeLetters(p, true)], [p.replace("@", "%40")]]))(
    "hides %s",
    async (path) => {
      const res = await call(path, limited);
      expect(res.status, await res.clone().text()).toBe(404);
    },
  );

  it("answers the same for a scope that exists and one that does not", async () => {
    const existing = await call("/v1/%73copes/@bobco/members", limited);
    const missing = await call("/v1/%73copes/@nobody-here/members", limited);
    expect([existing.status, missing.status]).toEqual([404, 404]);
    expect((await existing.json()) as { error: { code: string } }).toMatchObject({ error: { code: "not_found" } });
    expect((await missing.json()) as { error: { code: string } }).toMatchObject({ error: { code: "not_found" } });
  });

  it("still serves what the token covers, also spelled with escapes", async () => {
    expect((await call(encodeLetters("/v1/packages/@visible/app/versions"), limited)).status).toBe(200);
    expect((await call("/v1/%73copes/@visible/members", limited)).status).toBe(200);
  });

  it("keeps the log's entry bundles (which list every package) from a limited token, however spelled", async () => {
    for (const path of [
      "/v1/log/tile/entries/000.p/2",
      "/v1/log/tile/%65ntries/000.p/2",
      encodeLetters("/v1/log/tile/entries/000.p/2"),
    ]) {
      expect((await call(path, limited)).status, path).toBe(403);
    }
    expect((await call("/v1/log/tile/0/000.p/2", limited)).status).toBe(200);
  });

  it("refuses anonymous reads of encoded routes with 401, as of plain ones", async () => {
    for (const path of [
      "/v1/%73copes/@bobco/members",
      encodeLetters("/v1/packages/@bobco/secret/versions"),
      "/v1/%6Cog/checkpoint",
      "/v1/%73earch?q=secret",
    ]) {
      expect((await call(path, null)).status, path).toBe(401);
    }
  });
});
