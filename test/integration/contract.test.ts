// The contract (src/api/) against the app that serves it: every route the Hono app registers is
// a contract entry, every entry is registered, and /v1/openapi.json documents each one with its
// parameters, body and answers. (The document is validated as OpenAPI 3.1 in src/api/openapi.test.ts.)
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app";
import { contractRoutes } from "../../src/api/openapi";
import { ROUTES } from "../../src/api";
import { call } from "./helpers";

type Operation = { parameters: { name: string; in: string }[]; requestBody?: unknown; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };

describe("the API contract", () => {
  it("has an entry for every route the app registers, and a route for every entry", () => {
    const registered = new Set(createApp().routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`));
    const contract = new Set(contractRoutes());
    expect([...registered].filter((r) => !contract.has(r))).toEqual([]);
    expect([...contract].filter((r) => !registered.has(r))).toEqual([]);
  });

  it("is what GET /v1/openapi.json documents: every route, with its parameters, body and answers", async () => {
    const res = await call("/v1/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };
    expect(doc.openapi).toBe("3.1.0");
    for (const spec of ROUTES) {
      for (const method of spec.methods) {
        const op = doc.paths[spec.path]?.[method.toLowerCase()];
        expect(op, `${method} ${spec.path}`).toBeDefined();
        const inPath = [...spec.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        expect(op!.parameters.filter((p) => p.in === "path").map((p) => p.name), spec.path).toEqual(inPath);
        if (spec.body) expect(op!.requestBody, `${method} ${spec.path} body`).toBeDefined();
        for (const status of Object.keys(spec.responses)) expect(op!.responses[status]?.content, `${method} ${spec.path} ${status}`).toBeDefined();
        expect(op!.responses.default, `${method} ${spec.path} errors`).toBeDefined();
      }
    }
    // The shared shapes are named once, under components.
    for (const name of ["Error", "Version", "VersionList", "VersionMetadata", "LogReceipt", "Token", "User", "ScopeMember"]) expect(doc.components.schemas, name).toHaveProperty(name);
    const versions = doc.paths["/v1/packages/{scope}/{name}/versions"]!.get!;
    expect(versions.responses["200"]!.content!["application/json"]!.schema).toEqual({ $ref: "#/components/schemas/VersionList" });
  });
});
