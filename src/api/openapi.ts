// Generates the OpenAPI 3.1 document served at /v1/openapi.json from the contract: every route
// with its parameters, body, answers and access; the shared shapes (named schemas) once under
// `components.schemas`. zod 4 writes the JSON Schema (draft 2020-12, OpenAPI 3.1's dialect);
// this file only lays it out. Pure, and computed once per isolate.
import { z } from "zod";
import type { RequestBody, RouteAccess, RouteSpec } from "./contract";
import { bodyLimit, honoPath, pathParameters } from "./contract";
import { statusOf } from "./errors";
import { api } from "./index";
import { ErrorBody, OsvErrorBody } from "./shapes";

type Json = Record<string, unknown>;

const COMPONENTS = "#/components/schemas/";

/** Turns zod schemas into JSON Schema, moving named ones into `components`. */
class SchemaWriter {
  readonly components: Record<string, Json> = {};

  write(schema: z.ZodType): Json {
    const out = z.toJSONSchema(schema, { io: "input", target: "draft-2020-12", unrepresentable: "any" }) as Json;
    const defs = (out.$defs ?? {}) as Record<string, Json>;
    delete out.$defs;
    delete out.$schema;
    for (const [id, def] of Object.entries(defs)) this.components[id] = refs(def) as Json;
    return refs(out) as Json;
  }

  /** The `properties` of an object schema (parameters), with which are required. */
  properties(schema: z.ZodType): { props: Record<string, Json>; required: Set<string> } {
    const out = this.write(schema);
    return {
      props: (out.properties ?? {}) as Record<string, Json>,
      required: new Set((out.required ?? []) as string[]),
    };
  }
}

/** zod names its definitions `#/$defs/<id>`; in the document they live under components. */
function refs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(refs);
  if (value === null || typeof value !== "object") return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value))
    out[k] = k === "$ref" && typeof v === "string" ? v.replace("#/$defs/", COMPONENTS) : refs(v);
  return out;
}

/** The bearer scopes a route asks for (an empty list: any token; none: anyone). */
function security(a: RouteAccess): Json[] {
  switch (a.caller) {
    case "anyone":
      return [];
    case "reader":
      // A public registry needs no token for reads; a private one needs the read scope.
      return [{ bearer: ["read"] }, {}];
    case "token":
      return [{ bearer: a.scope ? [a.scope] : [] }];
    case "registry-admin":
      return [{ bearer: ["admin"] }];
  }
}

/** An error answer's content: the registry's Error, or osv.dev's form on the OSV routes. */
function errorContent(spec: RouteSpec): Json {
  return {
    "application/json": { schema: { $ref: `${COMPONENTS}${spec.errorBody === "osv" ? "OsvError" : "Error"}` } },
  };
}

function operation(id: string, spec: RouteSpec, writer: SchemaWriter): Json {
  const parameters: Json[] = [];
  const inPath = pathParameters(spec.path);
  if (spec.params) {
    const { props } = writer.properties(spec.params);
    const declared = Object.keys(props);
    if (declared.join() !== inPath.join())
      throw new Error(
        `${spec.path}: path parameters ${inPath.join(", ")} but the contract declares ${declared.join(", ")}`,
      );
    for (const name of inPath) parameters.push(parameter(name, "path", true, props[name]!));
  } else if (inPath.length > 0) {
    throw new Error(`${spec.path}: path parameters without a params schema`);
  }
  if (spec.query) {
    const { props, required } = writer.properties(spec.query);
    for (const [name, schema] of Object.entries(props))
      parameters.push(parameter(name, "query", required.has(name), schema));
  }
  const responses: Json = {};
  for (const [status, answer] of Object.entries(spec.responses)) {
    if ("schema" in answer) {
      responses[status] = {
        description: answer.description,
        ...(answer.etag
          ? { headers: { ETag: { description: "a strong ETag of the body", schema: { type: "string" } } } }
          : {}),
        content: { "application/json": { schema: writer.write(answer.schema) } },
      };
      if (answer.etag) responses["304"] = { description: "If-None-Match named the current ETag" };
    } else {
      const schema = answer.contentType.startsWith("text/")
        ? { type: "string" }
        : { type: "string", contentMediaType: answer.contentType };
      responses[status] = { description: answer.description, content: { [answer.contentType]: { schema } } };
    }
  }
  const byStatus = new Map<number, string[]>();
  for (const code of spec.errors ?? []) {
    byStatus.set(statusOf(code), [...(byStatus.get(statusOf(code)) ?? []), code]);
  }
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = { description: codes.map((c) => `\`${c}\``).join(", "), content: errorContent(spec) };
  }
  responses.default = { description: "an error (every code: docs/errors.md)", content: errorContent(spec) };
  return {
    operationId: id,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    parameters,
    security: security(spec.access),
    "x-access": spec.access,
    ...(spec.body ? { requestBody: requestBody(spec.body, writer) } : {}),
    responses,
  };
}

function parameter(name: string, where: "path" | "query", required: boolean, schema: Json): Json {
  const { description, example, ...rest } = schema;
  return {
    name,
    in: where,
    required,
    schema: rest,
    ...(description ? { description } : {}),
    ...(example !== undefined ? { example } : {}),
  };
}

/** A request body with its media types and its size limit (`x-max-bytes`, also in words). */
function requestBody(body: RequestBody, writer: SchemaWriter): Json {
  const max = bodyLimit(body);
  const limit = { "x-max-bytes": max };
  const atMost = `at most ${formatSize(max)}`;
  if (body.kind === "json")
    return {
      required: !body.optional,
      description: atMost,
      content: { "application/json": { schema: writer.write(body.schema) } },
      ...limit,
    };
  if (body.kind === "text") {
    const content: Json = Object.fromEntries(body.mediaTypes.map((type) => [type, { schema: { type: "string" } }]));
    if (body.json) content["application/json"] = { schema: writer.write(body.json) };
    return { required: true, description: `${body.description}, ${atMost}`, content, ...limit };
  }
  const archive = { type: "string", contentMediaType: "application/gzip" };
  return {
    required: true,
    description: `${body.description}, ${atMost}`,
    content: {
      "application/gzip": { schema: archive },
      "multipart/form-data": { schema: { type: "object", properties: { archive }, required: ["archive"] } },
    },
    ...limit,
  };
}

function formatSize(bytes: number): string {
  return bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MiB`
    : bytes % 1024 === 0
      ? `${bytes / 1024} KiB`
      : `${bytes} bytes`;
}

function build(): Json {
  const writer = new SchemaWriter();
  writer.write(ErrorBody);
  writer.write(OsvErrorBody);
  const paths: Record<string, Json> = {};
  for (const [group, routes] of Object.entries(api)) {
    for (const [key, spec] of Object.entries(routes as Record<string, RouteSpec>)) {
      const item = (paths[spec.path] ??= {});
      for (const method of spec.methods) {
        const m = method.toLowerCase();
        if (item[m]) throw new Error(`${method} ${spec.path} is in the contract twice`);
        item[m] = operation(spec.methods.length > 1 ? `${group}.${key}.${m}` : `${group}.${key}`, spec, writer);
      }
    }
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Ori package registry",
      version: "1",
      description:
        'The v1 API of the Ori package registry. Errors are `{"error": {"code", "message"}}` (on the OSV-compatible routes with osv.dev\'s `{code, message}` beside it). Every request body has a size limit (`x-max-bytes`).',
    },
    tags: [
      ...new Set(Object.values(api).flatMap((g) => Object.values(g as Record<string, RouteSpec>).map((r) => r.tag))),
    ].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "a registry token `ori_…`" } },
      schemas: Object.fromEntries(Object.entries(writer.components).sort(([a], [b]) => a.localeCompare(b))),
    },
  };
}

let cached: Json | null = null;

/** The document (built on first use, then shared). */
export function openApiDocument(): Json {
  return (cached ??= build());
}

/** Every route of the contract as `METHOD /hono/:path`, for the tests that walk the app. */
export function contractRoutes(): string[] {
  return Object.values(api).flatMap((g) =>
    Object.values(g as Record<string, RouteSpec>).flatMap((spec) => spec.methods.map((m) => `${m} ${honoPath(spec)}`)),
  );
}
