// GET versions / metadata / download (and HEAD): headers, conditional requests, 404s and 400s.
import { beforeAll, describe, expect, it } from "vitest";
import { buildArchive } from "../helpers/archive-builder";
import { call, errorCode, publish, sha256HexOf } from "./helpers";

let archive: Uint8Array;
let sha: string;

beforeAll(async () => {
  archive = await buildArchive({ name: "@acme/http", version: "1.2.3" });
  sha = await sha256HexOf(archive);
  expect((await publish("@acme/http", archive)).status).toBe(201);
  expect((await publish("@acme/http", await buildArchive({ name: "@acme/http", version: "1.10.0" }))).status).toBe(201);
});

describe("GET /v1/packages/:scope/:name/versions", () => {
  it("lists every version in semver order with checksums and flags, with an ETag", async () => {
    const res = await call("/v1/packages/@acme/http/versions");
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      name: string;
      versions: { version: string; sha256: string; yanked: boolean; logIndex: number }[];
    };
    expect(body.name).toBe("@acme/http");
    expect(body.versions.map((v) => v.version)).toEqual(["1.2.3", "1.10.0"]);
    expect(body.versions[0]).toMatchObject({
      sha256: sha,
      yanked: false,
      deprecated: null,
      removed: false,
      deleted: false,
    });
    const etag = res.headers.get("etag")!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const again = await call("/v1/packages/@acme/http/versions", { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
  });

  it("lists pre-releases in SemVer precedence order, with the highest stable version as latest", async () => {
    const order = [
      "0.9.0",
      "1.0.0-alpha",
      "1.0.0-alpha.1",
      "1.0.0-beta",
      "1.0.0-beta.2",
      "1.0.0-beta.11",
      "1.0.0-rc.1",
    ];
    for (const v of [
      "1.0.0-beta.11",
      "0.9.0",
      "1.0.0-rc.1",
      "1.0.0-alpha",
      "1.0.0-beta.2",
      "1.0.0-alpha.1",
      "1.0.0-beta",
    ]) {
      const res = await publish("@acme/pre", await buildArchive({ name: "@acme/pre", version: v }));
      expect(res.status, await res.clone().text()).toBe(201);
    }
    const list = async () =>
      (await (await call("/v1/packages/@acme/pre/versions")).json()) as {
        latest: string | null;
        versions: { version: string }[];
      };
    expect(await list()).toMatchObject({ latest: "0.9.0", versions: order.map((version) => ({ version })) });
    const meta = (await (await call("/v1/packages/@acme/pre/1.0.0-rc.1/metadata")).json()) as {
      version: string;
      prerelease: boolean;
    };
    expect(meta).toMatchObject({ version: "1.0.0-rc.1", prerelease: true });

    expect((await publish("@acme/pre", await buildArchive({ name: "@acme/pre", version: "1.0.0" }))).status).toBe(201);
    expect(await list()).toMatchObject({
      latest: "1.0.0",
      versions: [...order, "1.0.0"].map((version) => ({ version })),
    });
    expect(
      (await publish("@acme/pre", await buildArchive({ name: "@acme/pre", version: "1.1.0-beta.1" }))).status,
    ).toBe(201);
    expect((await list()).latest).toBe("1.0.0");
  });

  it("refuses a version with build metadata at publish (400 invalid_version, nothing stored)", async () => {
    const res = await publish(
      "@acme/withbuild",
      await buildArchive({ name: "@acme/withbuild", version: "1.0.0+build.5" }),
    );
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe("invalid_version");
    expect((await call("/v1/packages/@acme/withbuild/versions")).status).toBe(404);
  });

  it("accepts the scope without `@`", async () => {
    expect((await call("/v1/packages/acme/http/versions")).status).toBe(200);
  });

  it("answers 404 package_not_found for an unknown package and 400 for an invalid name", async () => {
    const missing = await call("/v1/packages/@acme/nothing/versions");
    expect(missing.status).toBe(404);
    expect(await errorCode(missing)).toBe("package_not_found");
    const invalid = await call("/v1/packages/@acme/Bad--Name/versions");
    expect(invalid.status).toBe(400);
    expect(await errorCode(invalid)).toBe("invalid_name");
  });
});

describe("GET /v1/packages/:scope/:name/:version/metadata", () => {
  it("has the manifest fields, sha256, size and log index, with an ETag", async () => {
    const res = await call("/v1/packages/@acme/http/1.2.3/metadata");
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      name: "@acme/http",
      version: "1.2.3",
      sha256: sha,
      size: archive.length,
      yanked: false,
    });
    expect(typeof body.description).toBe("string");
    expect(typeof body.logIndex).toBe("number");
    expect(
      (await call("/v1/packages/@acme/http/1.2.3/metadata", { headers: { "if-none-match": res.headers.get("etag")! } }))
        .status,
    ).toBe(304);
  });

  it.each([
    ["1.0", 400, "invalid_version"],
    ["01.0.0", 400, "invalid_version"],
    ["1.0.0+build", 400, "invalid_version"],
    ["1.0.0-rc.01", 400, "invalid_version"],
    ["1.0.0-rc.1", 404, "version_not_found"],
    ["v1.0.0", 400, "invalid_version"],
    ["9.9.9", 404, "version_not_found"],
  ])("answers %s with %i %s", async (version, status, code) => {
    const res = await call(`/v1/packages/@acme/http/${version}/metadata`);
    expect(res.status).toBe(status);
    expect(await errorCode(res)).toBe(code);
  });

  it("answers a path the same way every time: its route and parameters, kept per isolate, are never another path's", async () => {
    // The router's answers and the parsed parameters are kept by path (src/http/kept-routes.ts,
    // implement.ts): a refused path is refused again, and paths that differ only in one
    // parameter never share an answer.
    for (let round = 0; round < 3; round++) {
      const bad = await call("/v1/packages/@acme/http/1.0/metadata");
      expect([bad.status, await errorCode(bad)]).toEqual([400, "invalid_version"]);
      const good = await call("/v1/packages/@acme/http/1.2.3/metadata");
      expect(((await good.json()) as { version: string }).version).toBe("1.2.3");
      const other = await call("/v1/packages/acme/http/1.10.0/metadata");
      expect(((await other.json()) as { version: string }).version).toBe("1.10.0");
      const badName = await call("/v1/packages/@acme/Bad--Name/1.2.3/metadata");
      expect([badName.status, await errorCode(badName)]).toEqual([400, "invalid_name"]);
    }
  });
});

describe("GET|HEAD /v1/packages/:scope/:name/:version/download", () => {
  it("returns exactly the published bytes with immutable caching, ETag and Repr-Digest", async () => {
    const res = await call("/v1/packages/@acme/http/1.2.3/download");
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes).toEqual(archive);
    expect(res.headers.get("content-type")).toBe("application/gzip");
    expect(res.headers.get("content-length")).toBe(String(archive.length));
    expect(res.headers.get("etag")).toBe(`"${sha}"`);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const b64 = btoa(String.fromCharCode(...(sha.match(/../g) ?? []).map((h) => parseInt(h, 16))));
    expect(res.headers.get("repr-digest")).toBe(`sha-256=:${b64}:`);
  });

  it("answers 304 to If-None-Match with the checksum ETag", async () => {
    const res = await call("/v1/packages/@acme/http/1.2.3/download", { headers: { "if-none-match": `"${sha}"` } });
    expect(res.status).toBe(304);
    expect(res.headers.get("etag")).toBe(`"${sha}"`);
  });

  it("answers HEAD with the headers and no body", async () => {
    const res = await call("/v1/packages/@acme/http/1.2.3/download", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBe(String(archive.length));
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });

  it("answers 404 for an unknown version", async () => {
    const res = await call("/v1/packages/@acme/http/3.0.0/download");
    expect(res.status).toBe(404);
    expect(await errorCode(res)).toBe("version_not_found");
  });
});

describe("GET /v1/health and unknown routes", () => {
  it("answers health without storage and 404 route_not_found elsewhere", async () => {
    const health = await call("/v1/health");
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe("ok");
    const unknown = await call("/v1/nothing-here");
    expect(unknown.status).toBe(404);
    expect(await errorCode(unknown)).toBe("route_not_found");
  });
});
