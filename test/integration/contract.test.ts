// The contract (src/api/) against the app that serves it: every route the Hono app registers is
// a contract entry (the web UI's pages, outside /v1, are not API), every entry is registered, and /v1/openapi.json documents each one with its
// parameters, body and answers. (The document is validated as OpenAPI 3.1 in src/api/openapi.test.ts.)
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app";
import { contractRoutes } from "../../src/api/openapi";
import { ROUTES } from "../../src/api";
import { access, route } from "../../src/api/contract";
import { PackagePath } from "../../src/api/params";
import { implement } from "../../src/http/implement";
import { call } from "./helpers";

type Operation = {
  parameters: { name: string; in: string }[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
};

describe("the API contract", () => {
  it("has an entry for every route the app registers, and a route for every entry", () => {
    const registered = new Set(
      createApp()
        .routes.filter((r) => r.method !== "ALL" && r.path.startsWith("/v1/"))
        .map((r) => `${r.method} ${r.path}`),
    );
    const contract = new Set(contractRoutes());
    expect([...registered].filter((r) => !contract.has(r))).toEqual([]);
    expect([...contract].filter((r) => !registered.has(r))).toEqual([]);
  });

  it("is what GET /v1/openapi.json documents: every route, with its parameters, body and answers", async () => {
    const res = await call("/v1/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe("3.1.0");
    for (const spec of ROUTES) {
      for (const method of spec.methods) {
        const op = doc.paths[spec.path]?.[method.toLowerCase()];
        expect(op, `${method} ${spec.path}`).toBeDefined();
        const inPath = [...spec.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        expect(
          op!.parameters.filter((p) => p.in === "path").map((p) => p.name),
          spec.path,
        ).toEqual(inPath);
        if (spec.body) expect(op!.requestBody, `${method} ${spec.path} body`).toBeDefined();
        for (const status of Object.keys(spec.responses))
          expect(op!.responses[status]?.content, `${method} ${spec.path} ${status}`).toBeDefined();
        expect(op!.responses.default, `${method} ${spec.path} errors`).toBeDefined();
      }
    }
    // The shared shapes are named once, under components.
    for (const name of [
      "Error",
      "Version",
      "VersionList",
      "VersionMetadata",
      "LogReceipt",
      "Token",
      "User",
      "ScopeMember",
    ])
      expect(doc.components.schemas, name).toHaveProperty(name);
    const versions = doc.paths["/v1/packages/{scope}/{name}/versions"]!.get!;
    expect(versions.responses["200"]!.content!["application/json"]!.schema).toEqual({
      $ref: "#/components/schemas/VersionList",
    });
  });

  it("refuses to build a route whose path names a package but whose access declaration does not", () => {
    const group = {
      owners: route({
        methods: ["GET"],
        path: "/v1/packages/{scope}/{name}/x",
        summary: "x",
        tag: "t",
        access: access.read(),
        params: PackagePath,
        responses: { 200: { description: "x", contentType: "text/plain" } },
      }),
    };
    expect(() => implement(group, { owners: () => new Response("") })).toThrow(
      /names package in its path but declares names: "nothing"/,
    );
  });

  it("parses path parameters with the domain's rules before the handler runs", async () => {
    const bad = await call("/v1/packages/@Acme/http/versions");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("invalid_name");
    const version = await call("/v1/packages/@acme/http/1.0/metadata");
    expect(((await version.json()) as { error: { code: string } }).error.code).toBe("invalid_version");
  });
});
