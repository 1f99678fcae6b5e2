// The generated OpenAPI document is valid OpenAPI 3.1 (checked by an independent validator of
// the official schema), names its shared shapes once, and refers to them.
import { describe, expect, it } from "vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import { openApiDocument } from "./openapi";

describe("openApiDocument()", () => {
  it("validates as OpenAPI 3.1", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(openApiDocument()));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("refers only to components it defines", () => {
    const doc = openApiDocument() as { components: { schemas: Record<string, unknown> } };
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of new Set(refs)) expect(doc.components.schemas, ref).toHaveProperty(ref);
    expect(JSON.stringify(doc)).not.toContain("#/$defs/");
  });

  it("states every request body's size limit, as each route declares it", () => {
    const doc = openApiDocument() as {
      paths: Record<
        string,
        Record<string, { operationId: string; requestBody?: { "x-max-bytes"?: number; description?: string } }>
      >;
    };
    const limits: Record<string, number | undefined> = {};
    for (const item of Object.values(doc.paths))
      for (const op of Object.values(item)) if (op.requestBody) limits[op.operationId] = op.requestBody["x-max-bytes"];
    expect(Object.entries(limits).filter(([, max]) => !Number.isInteger(max))).toEqual([]);
    expect(limits).toMatchObject({
      "advisories.create": 256 * 1024,
      "advisories.replace": 256 * 1024,
      "advisories.audit": 1024 * 1024,
      "osv.querybatch": 1024 * 1024,
      "osv.query": 64 * 1024,
      "packages.publish": 10 * 1024 * 1024,
    });
    expect(doc.paths["/v1/audit"]!.post!.requestBody!.description).toBe("the oripk.lock text, at most 1 MiB");
  });

  it("documents osv.dev's error form on the OSV routes only", () => {
    const doc = openApiDocument() as {
      paths: Record<
        string,
        Record<string, { responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> }>
      >;
    };
    const errorRef = (path: string, method: string) =>
      doc.paths[path]![method]!.responses.default!.content!["application/json"]!.schema.$ref;
    for (const path of ["/v1/query", "/v1/querybatch"])
      expect(errorRef(path, "post")).toBe("#/components/schemas/OsvError");
    expect(errorRef("/v1/vulns/{id}", "get")).toBe("#/components/schemas/OsvError");
    expect(errorRef("/v1/advisories/{id}", "get")).toBe("#/components/schemas/Error");
  });
});
