// RegistryClient over a fake fetch: paths, auth header, error decoding (server code, generic
// http_<status>, Retry-After), network failures, upload progress, download headers.
import { describe, expect, it } from "vitest";
import { RegistryClient } from "./registry-client";
import { RegistryClientError, RegistryNetworkError, VerificationError } from "./errors";

type Seen = { url: string; method: string; headers: Headers; body: string | null };

function fakeFetch(respond: (req: Seen) => Response) {
  const seen: Seen[] = [];
  const fn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    const s = { url: req.url, method: req.method, headers: req.headers, body: req.body ? await req.text() : null };
    seen.push(s);
    return respond(s);
  }) as typeof fetch;
  return { fn, seen };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

describe("RegistryClient", () => {
  it("refuses a download larger than the archive limit, declared or not", async () => {
    const big = new Uint8Array(64);
    const declared = new RegistryClient({
      baseUrl: "http://reg.test",
      fetch: fakeFetch(() => new Response(big, { headers: { "content-length": "64" } })).fn,
    });
    await expect(declared.download("@acme/http", "1.0.0", 63)).rejects.toThrow(
      /archive size: Content-Length is 64, over the 63-byte archive limit/,
    );
    const streamed = () => new Response(new ReadableStream({ pull: (c) => c.enqueue(new Uint8Array(16)) })); // endless, no length
    const undeclared = new RegistryClient({ baseUrl: "http://reg.test", fetch: fakeFetch(streamed).fn });
    await expect(undeclared.download("@acme/http", "1.0.0", 63)).rejects.toThrow(/more than 63 bytes arrived/);
    const fits = new RegistryClient({ baseUrl: "http://reg.test", fetch: fakeFetch(() => new Response(big)).fn });
    expect((await fits.download("@acme/http", "1.0.0", 64)).bytes).toEqual(big);
  });

  it("builds v1 paths with the @scope and sends the bearer token", async () => {
    const { fn, seen } = fakeFetch(() => json({ ok: true }));
    const c = new RegistryClient({ baseUrl: "http://reg.test/", token: "ori_x", fetch: fn });
    await c.versions("@acme/http");
    // These answers fail the shape check ({ok: true} is no receipt); only the paths matter here.
    await expect(c.metadata("acme/http", "1.2.3")).rejects.toThrow(VerificationError);
    await expect(c.lookup("@acme/http", "1.2.3")).rejects.toThrow(VerificationError);
    await expect(c.consistency(3, 9)).rejects.toThrow(/answer field from/);
    await c.deprecate("@acme/http", "1.2.3", "use 2.x");
    await c.addMember("@acme", "bob");
    await c.removeOwner("@acme/http", "bob");
    await c.transferAccept("@acme/http");
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      "GET http://reg.test/v1/packages/@acme/http/versions",
      "GET http://reg.test/v1/packages/@acme/http/1.2.3/metadata",
      "GET http://reg.test/v1/log/lookup/@acme/http/1.2.3",
      "GET http://reg.test/v1/log/proof/consistency?from=3&to=9",
      "POST http://reg.test/v1/packages/@acme/http/1.2.3/deprecate",
      "POST http://reg.test/v1/scopes/@acme/members",
      "DELETE http://reg.test/v1/packages/@acme/http/owners/bob",
      "POST http://reg.test/v1/packages/@acme/http/transfer",
    ]);
    expect(seen[0]!.headers.get("authorization")).toBe("Bearer ori_x");
    expect(seen[4]!.body).toBe('{"message":"use 2.x"}');
    expect(seen[7]!.body).toBe('{"accept":true}');
  });

  it("turns the server's error body into a RegistryClientError with code, status and request id", async () => {
    const { fn } = fakeFetch(() =>
      json({ error: { code: "version_exists", message: "1.0.0 exists" } }, 409, { "x-request-id": "req-1" }),
    );
    const err = await new RegistryClient({ baseUrl: "http://reg.test", fetch: fn })
      .versions("@a/b")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryClientError);
    expect(err).toMatchObject({ status: 409, code: "version_exists", message: "1.0.0 exists", requestId: "req-1" });
  });

  it("gives a non-JSON error answer a generic http_<status> code", async () => {
    const { fn } = fakeFetch(
      () => new Response("<html>Bad gateway</html>", { status: 502, statusText: "Bad Gateway" }),
    );
    const err = (await new RegistryClient({ baseUrl: "http://reg.test", fetch: fn })
      .health()
      .catch((e: unknown) => e)) as RegistryClientError;
    expect(err.code).toBe("http_502");
    expect(err.message).toContain("Bad gateway");
  });

  it("reads Retry-After on 429", async () => {
    const { fn } = fakeFetch(() =>
      json({ error: { code: "rate_limited", message: "slow down" } }, 429, { "retry-after": "17" }),
    );
    const err = (await new RegistryClient({ baseUrl: "http://reg.test", fetch: fn })
      .health()
      .catch((e: unknown) => e)) as RegistryClientError;
    expect(err.retryAfter).toBe(17);
  });

  it("reports a connection failure as a RegistryNetworkError", async () => {
    const c = new RegistryClient({ baseUrl: "http://127.0.0.1:1" });
    const err = await c.health().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryNetworkError);
    expect((err as RegistryNetworkError).message).toContain("http://127.0.0.1:1/v1/health");
  });

  it("uploads an archive as application/gzip, reporting progress up to the full size", async () => {
    const { fn, seen } = fakeFetch(() => json({ name: "@a/b" }, 201));
    const bytes = new Uint8Array(200_000).fill(7);
    const progress: number[] = [];
    // {name} alone is no publish answer: the shape check refuses it after the upload finished.
    await expect(
      new RegistryClient({ baseUrl: "http://reg.test", token: "t", fetch: fn }).publish("@a/b", bytes, (sent) =>
        progress.push(sent),
      ),
    ).rejects.toThrow(VerificationError);
    expect(seen[0]!.headers.get("content-type")).toBe("application/gzip");
    expect(seen[0]!.body!.length).toBe(200_000);
    expect(progress[progress.length - 1]).toBe(200_000);
    expect(progress.length).toBeGreaterThan(1);
  });

  it("returns download bytes with the ETag unquoted and the Repr-Digest", async () => {
    const { fn } = fakeFetch(
      () => new Response(new Uint8Array([1, 2, 3]), { headers: { etag: '"abc"', "repr-digest": "sha-256=:x:" } }),
    );
    const d = await new RegistryClient({ baseUrl: "http://reg.test", fetch: fn }).download("@a/b", "1.0.0");
    expect([...d.bytes]).toEqual([1, 2, 3]);
    expect(d.etag).toBe("abc");
    expect(d.reprDigest).toBe("sha-256=:x:");
  });

  it("refuses malformed package names before any request", () => {
    const c = new RegistryClient({ baseUrl: "http://reg.test", fetch: fakeFetch(() => json({})).fn });
    expect(() => c.versions("Acme/Http")).toThrow(TypeError);
    expect(() => c.versions("@acme")).toThrow(/@scope\/name/);
  });
});
