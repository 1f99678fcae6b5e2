// Private mode (PRIVATE_MODE="true"): every read needs a read-scoped token, and a token limited
// to some packages sees the others as missing. Runs as its own Vitest project with that setting.
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

let limited: string;

beforeAll(async () => {
  const user = await call("/v1/admin/users", ADMIN, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "corp" }),
  });
  const first = ((await user.json()) as { token: { token: string } }).token.token;
  for (const name of ["app", "secret"]) {
    const res = await call(`/v1/packages/@corp/${name}/publish`, first, {
      method: "POST",
      headers: { "content-type": "application/gzip" },
      body: await buildArchive({ name: `@corp/${name}`, version: "1.0.0" }),
    });
    expect(res.status).toBe(201);
  }
  const minted = await call("/v1/tokens", first, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "ci", scopes: ["read"], packages: ["@corp/app"] }),
  });
  limited = ((await minted.json()) as { token: string }).token;
});

describe("private mode", () => {
  it("refuses anonymous reads with 401 but still answers health", async () => {
    for (const path of [
      "/v1/packages/@corp/app/versions",
      "/v1/packages/@corp/app/1.0.0/download",
      "/v1/log/checkpoint",
      "/v1/packages/@corp/nothing/versions",
    ]) {
      expect((await call(path, null)).status, path).toBe(401);
    }
    expect((await call("/v1/health", null)).status).toBe(200);
  });

  it("serves a read-scoped token, privately cached", async () => {
    const res = await call("/v1/packages/@corp/app/1.0.0/download", limited);
    expect(res.status).toBe(200);
    const versions = await call("/v1/packages/@corp/app/versions", limited);
    expect(versions.headers.get("cache-control")).toContain("private");
  });

  it("answers 404 for packages outside a limited token, existing or not", async () => {
    const hidden = await call("/v1/packages/@corp/secret/versions", limited);
    const missing = await call("/v1/packages/@corp/nothing/versions", limited);
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(await hidden.json()).toEqual({
      error: { code: "package_not_found", message: "package @corp/secret does not exist" },
    });
    for (const path of [
      "/v1/packages/@corp/secret/1.0.0/download",
      "/v1/packages/@corp/secret/owners",
      "/v1/log/lookup/@corp/secret/1.0.0",
    ]) {
      expect((await call(path, limited)).status, path).toBe(404);
    }
  });

  it("does not list other packages through the log's entry bundles or scope member lists", async () => {
    expect((await call("/v1/log/tile/entries/000.p/2", limited)).status).toBe(403);
    expect((await call("/v1/scopes/@corp/members", limited)).status).toBe(404);
    // Hash tiles reveal no names, and the checkpoint only a size: a limited token may verify.
    expect((await call("/v1/log/tile/0/000.p/2", limited)).status).toBe(200);
    expect((await call("/v1/log/checkpoint", limited)).status).toBe(200);
  });

  it("answers a malformed percent-encoding with a 4xx, not a 500", async () => {
    const res = await call("/v1/packages/@corp/app%E0%A4%A/versions", limited);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});
