// Per-route access declarations: every route has one (an app without cannot be built), the one
// checked is the matched route's own, and the rate-limit budget follows the route, not the URL.
import { describe, expect, it } from "vitest";
import { Hono } from "hono";
import type { AppEnv } from "../../src/env";
import { createApp } from "../../src/http/app";
import { access } from "../../src/api/contract";
import { assertEveryRouteDeclared, declare } from "../../src/http/middleware/route-access";
import { declared, type RouteAccess } from "../../src/http/middleware/route-policy";
import { buildArchive } from "../helpers/archive-builder";
import { call, publish } from "./helpers";

describe("route access declarations", () => {
  it("are present on every route of the app", () => {
    expect(() => assertEveryRouteDeclared(createApp())).not.toThrow();
  });

  it("are required: a route without one makes the app refuse to build", () => {
    const app = new Hono<AppEnv>();
    app.get("/v1/declared", declare(access.anyone()), (c) => c.text("ok"));
    app.get("/v1/forgotten", (c) => c.text("oops"));
    app.use("/v1/*", (c, next) => next());
    app.all("/v1/any-method", (c) => c.text("any"));
    app.post(
      "/v1/declared-late",
      (c, next) => next(),
      declare(access.anyone()),
      (c) => c.text("late"),
    );
    expect(() => assertEveryRouteDeclared(app)).toThrow(
      /GET \/v1\/forgotten, ALL \/v1\/any-method, POST \/v1\/declared-late/,
    );
  });

  it("are what the OpenAPI document says each API route needs (and a reader's at most for a page)", async () => {
    const doc = (await (await call("/v1/openapi.json")).json()) as {
      paths: Record<string, Record<string, { security: { bearer: string[] }[] }>>;
    };
    const documented = new Map<string, string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const auth = op.security.length === 0 ? "none" : (op.security[0]!.bearer[0] ?? "token");
        documented.set(`${method.toUpperCase()} ${path.replace("{path}", "*").replace(/\{(\w+)\}/g, ":$1")}`, auth);
      }
    }
    const declaredAuth = (p: RouteAccess) =>
      p.caller === "anyone"
        ? "none"
        : p.caller === "reader"
          ? "read"
          : p.caller === "registry-admin"
            ? "admin"
            : (p.scope ?? "token");
    const seen = new Set<string>();
    for (const route of createApp().routes) {
      const key = `${route.method} ${route.path}`;
      const policy = declared.get(route.handler);
      if (route.method === "ALL" || seen.has(key) || !policy) continue;
      // The web UI's pages (docs/web.md) are not API routes: a reader's or anyone's, never more.
      if (!route.path.startsWith("/v1")) {
        expect(["none", "read"], key).toContain(declaredAuth(policy));
        continue;
      }
      seen.add(key);
      expect(declaredAuth(policy), key).toBe(documented.get(key));
    }
    expect(seen.size).toBe(documented.size);
  });
});

describe("the anonymous rate-limit budget follows the matched route", () => {
  it("charges an encoded download to the download budget, like a plain one", async () => {
    expect((await publish("@budget/dep", await buildArchive({ name: "@budget/dep", version: "1.0.0" }))).status).toBe(
      201,
    );
    for (const path of [
      "/v1/packages/@budget/dep/1.0.0/download",
      "/v1/packages/@budget/dep/1.0.0/%64ownload",
      "/v1/%6cog/checkpoint",
    ]) {
      const res = await call(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("x-ratelimit-limit"), path).toBe("2000");
    }
  });

  it("charges API routes to the API budget, however spelled", async () => {
    for (const path of [
      "/v1/packages/@budget/dep/versions",
      "/v1/%73earch?q=dep",
      "/v1/packages/@budget/dep/1.0.0/%6detadata",
    ]) {
      const res = await call(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("x-ratelimit-limit"), path).toBe("100");
    }
  });
});
