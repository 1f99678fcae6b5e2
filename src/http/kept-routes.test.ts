import { describe, expect, it } from "vitest";
import { Hono } from "hono";
import { TrieRouter } from "hono/router/trie-router";
import { KEPT_MAX, KEPT_PATH_MAX, KeptRoutes } from "./kept-routes";

/** An app with a middleware, routes with parameters, and routes that only differ in their tail. */
function app(router: KeptRoutes<unknown> | TrieRouter<unknown>) {
  const a = new Hono({ router: router as never });
  a.use("/v1/*", async (c, next) => {
    await next();
    c.res.headers.set("x-mw", "1");
  });
  a.get("/v1/packages/:scope/:name/:version/download", (c) => c.text(`download ${JSON.stringify(c.req.param())}`));
  a.get("/v1/packages/:scope/:name/:version/metadata", (c) => c.text(`metadata ${c.req.param("version")}`));
  a.get("/v1/packages/:scope/:name/owners/:username", (c) => c.text(`owner ${c.req.param("username")}`));
  a.post("/v1/packages/:scope/:name/publish", (c) => c.text("publish"));
  return a;
}

const paths = [
  ["GET", "/v1/packages/@a/b/1.0.0/download"],
  ["GET", "/v1/packages/@a/b/1.0.0/download"],
  ["GET", "/v1/packages/@a/b/2.0.0/download"],
  ["GET", "/v1/packages/@a/b/1.0.0/metadata"],
  ["GET", "/v1/packages/@a/b/owners/alice"],
  ["GET", "/v1/packages/@a%2Fx/b/1.0.0/download"],
  ["POST", "/v1/packages/@a/b/publish"],
  ["GET", "/v1/packages/@a/b/publish"],
  ["GET", "/nowhere"],
] as const;

async function answers(a: Hono) {
  const out: string[] = [];
  for (const [method, path] of paths) {
    const res = await a.request(path, { method });
    out.push(`${res.status} ${res.headers.get("x-mw")} ${await res.text()}`);
  }
  return out;
}

describe("KeptRoutes", () => {
  it("answers every request as Hono's trie router does, the first time and when kept", async () => {
    const router = new KeptRoutes<unknown>();
    const kept = app(router);
    const expected = await answers(app(new TrieRouter()));
    expect(await answers(kept)).toEqual(expected);
    expect(router.size).toBeGreaterThan(0);
    expect(await answers(kept)).toEqual(expected); // now from what it kept
    expect(expected[0]).toBe('200 1 download {"scope":"@a","name":"b","version":"1.0.0"}');
  });

  it("keeps at most KEPT_MAX answers, and none for a long path", () => {
    const router = new KeptRoutes<string>();
    router.add("GET", "/v1/packages/:scope/:name", "package");
    for (let i = 0; i < KEPT_MAX + 10; i++) router.match("GET", `/v1/packages/@a/p${i}`);
    expect(router.size).toBe(KEPT_MAX);
    const long = `/v1/packages/@a/${"x".repeat(KEPT_PATH_MAX)}`;
    router.match("GET", long);
    expect(router.size).toBe(KEPT_MAX);
    expect(router.match("GET", long)).toEqual(
      new TrieRouterWith("/v1/packages/:scope/:name", "package").match("GET", long),
    );
  });

  it("forgets what it kept when a route is added", () => {
    const router = new KeptRoutes<string>();
    router.add("GET", "/v1/*", "any");
    expect(router.match("GET", "/v1/x")[0].map(([h]) => h)).toEqual(["any"]);
    router.add("GET", "/v1/x", "x");
    expect(router.match("GET", "/v1/x")[0].map(([h]) => h)).toEqual(["any", "x"]);
  });
});

class TrieRouterWith<T> extends TrieRouter<T> {
  constructor(path: string, handler: T) {
    super();
    this.add("GET", path, handler);
  }
}
