// The building blocks of the API contract: one route is plain data — method, path, parameters,
// query, body, responses and access — over zod schemas. Pure (no Hono, no Worker types), so the
// Worker's routes, the client, the CLI and the OpenAPI generator all read the same entries.
import type { z } from "zod";
import type { TokenScope } from "../domain/access";
import type { ErrorCode } from "../domain/errors";
import { DEFAULT_LIMITS } from "../processing/limits";

/** Who may call a route, what its parameters name, and which rate-limit budget it spends. */
export interface RouteAccess {
  /**
   * `anyone`: even in private mode (health). `reader`: anyone, or in private mode a token with
   * the read scope. `token`: a valid token, with `scope` if given. `registry-admin`: an admin
   * account's unlimited token with the admin scope, or the operator token.
   */
  caller: "anyone" | "reader" | "token" | "registry-admin";
  scope: TokenScope | null;
  /**
   * What the route's parameters name. In private mode a token limited to some packages sees
   * a package (`{scope}/{name}`) or scope (`{scope}`) outside its patterns as missing (404), and
   * may not call a route that lists every package (`all-packages`: the log's entry bundles).
   */
  names: "nothing" | "package" | "scope" | "all-packages";
  /** Anonymous calls: the API budget, or the larger one for downloads and log reads; `none`: never charged (liveness). */
  budget: "api" | "bulk" | "none";
}

type Names = RouteAccess["names"];

/** The access declarations a contract entry chooses from (each call makes a new policy). */
export const access = {
  anyone: (budget: RouteAccess["budget"] = "api"): RouteAccess => ({
    caller: "anyone",
    scope: null,
    names: "nothing",
    budget,
  }),
  read: (names: Names = "nothing", budget: RouteAccess["budget"] = "api"): RouteAccess => ({
    caller: "reader",
    scope: null,
    names,
    budget,
  }),
  token: (scope: TokenScope | null, names: Names = "nothing"): RouteAccess => ({
    caller: "token",
    scope,
    names,
    budget: "api",
  }),
  registryAdmin: (): RouteAccess => ({ caller: "registry-admin", scope: "admin", names: "nothing", budget: "api" }),
};

/** The most bytes a JSON or text request body may hold, unless its route declares `maxBytes`. */
export const DEFAULT_BODY_BYTES = 64 * 1024;

/** A JSON request body, validated against `schema` (`optional`: only when a Content-Type is sent). */
export interface JsonBody<S extends z.ZodType = z.ZodType> {
  kind: "json";
  schema: S;
  optional?: boolean;
  /** At most this many bytes (default DEFAULT_BODY_BYTES); more is refused before it is parsed. */
  maxBytes?: number;
}

/** An archive upload: a raw application/gzip body, or multipart/form-data with the field `archive`. */
export interface ArchiveBody {
  kind: "archive";
  description: string;
}

/**
 * A text body (a lock file), handed to the handler as its bytes, in one of `mediaTypes`; with
 * `json`, also accepted as an application/json body of that shape.
 */
export interface TextBody<S extends z.ZodType = z.ZodType> {
  kind: "text";
  mediaTypes: readonly [string, ...string[]];
  description: string;
  /** At most this many bytes (default DEFAULT_BODY_BYTES), whichever form it comes in. */
  maxBytes?: number;
  json?: S;
}

export type RequestBody = JsonBody | ArchiveBody | TextBody;

/** The most bytes a route's request body may hold: every body kind has one. */
export function bodyLimit(body: RequestBody): number {
  return body.kind === "archive" ? DEFAULT_LIMITS.maxCompressedBytes : (body.maxBytes ?? DEFAULT_BODY_BYTES);
}

/** A JSON answer of this shape; `etag`: sent with a content ETag, 304 on If-None-Match. */
export interface JsonAnswer<S extends z.ZodType = z.ZodType> {
  description: string;
  schema: S;
  etag?: boolean;
}

/** An answer that is not JSON (text, tiles, archives): the handler builds the Response. */
export interface RawAnswer {
  description: string;
  contentType: string;
}

export type Answer = JsonAnswer | RawAnswer;

export type Method = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RouteSpec {
  /** Usually one method; a download responses GET and HEAD. */
  methods: readonly Method[];
  /** The OpenAPI path, `{param}` for each path parameter: `/v1/packages/{scope}/{name}/versions`. */
  path: `/v1/${string}`;
  /** A trailing parameter that spans segments (`/v1/log/tile/{path}` routes `tile/*`). */
  rest?: string;
  summary: string;
  description?: string;
  tag: string;
  access: RouteAccess;
  /** Path parameters: an object of their raw strings, which may transform into parsed values. */
  params?: z.ZodType;
  /** Query parameters, as an object of strings (which may transform). */
  query?: z.ZodType;
  body?: RequestBody;
  /** Every success answer by status; errors are the shared Error shape (src/api/errors.ts). */
  responses: Readonly<Record<number, Answer>>;
  /** Error codes worth naming in the document (every route may also answer the generic ones). */
  errors?: readonly ErrorCode[];
  /**
   * The shape of its error answers: the registry's `{"error": {code, message}}` (the default), or
   * (`osv`, the OSV-compatible routes) with osv.dev's gRPC status `{code, message}` beside it.
   */
  errorBody?: "registry" | "osv";
}

/** Declares one route; `const` keeps its literal statuses and schemas in the types. */
export function route<const R extends RouteSpec>(spec: R): R {
  return spec;
}

/** A group of routes (one module of src/api/), keyed by the name callers use. */
export type RouteGroup = Readonly<Record<string, RouteSpec>>;

type Output<S> = S extends z.ZodType ? z.output<S> : Record<string, never>;
type Input<S> = S extends z.ZodType ? z.input<S> : Record<string, never>;

/** The parsed path parameters a handler receives. */
export type ParamsOf<R extends RouteSpec> = Output<R["params"]>;
/** The parsed query a handler receives. */
export type QueryOf<R extends RouteSpec> = Output<R["query"]>;
/** The parsed body a handler asks for (undefined when an optional body was not sent). */
export type BodyOf<R extends RouteSpec> =
  R["body"] extends JsonBody<infer S>
    ? z.output<S> | (R["body"] extends { optional: true } ? undefined : never)
    : R["body"] extends ArchiveBody
      ? Uint8Array
      : R["body"] extends { kind: "text"; json: infer S extends z.ZodType }
        ? Uint8Array | z.output<S>
        : R["body"] extends TextBody
          ? Uint8Array
          : undefined;

/** What a caller sends: raw path parameters, query and JSON body. */
export type ParamsIn<R extends RouteSpec> = Input<R["params"]>;
export type QueryIn<R extends RouteSpec> = Input<R["query"]>;
export type BodyIn<R extends RouteSpec> =
  R["body"] extends JsonBody<infer S>
    ? z.input<S>
    : R["body"] extends { kind: "text"; json: infer S extends z.ZodType }
      ? z.input<S>
      : never;

type JsonStatuses<R extends RouteSpec> = {
  [S in keyof R["responses"]]: R["responses"][S] extends JsonAnswer ? S : never;
}[keyof R["responses"]];

/** A handler's JSON answer: one of the route's statuses with a body of that status's shape. */
export type JsonReply<R extends RouteSpec> = {
  [S in JsonStatuses<R>]: R["responses"][S] extends JsonAnswer<infer Z> ? { status: S; body: z.input<Z> } : never;
}[JsonStatuses<R>];

/** True when the route has a non-JSON answer (its handler may build a Response itself). */
export type HasRawAnswer<R extends RouteSpec> = {
  [S in keyof R["responses"]]: R["responses"][S] extends RawAnswer ? true : never;
}[keyof R["responses"]] extends never
  ? false
  : true;

/** The body a caller gets back from a JSON route (any of its success shapes). */
export type AnswerOf<R extends RouteSpec> = {
  [S in JsonStatuses<R>]: R["responses"][S] extends JsonAnswer<infer Z> ? z.output<Z> : never;
}[JsonStatuses<R>];

/** `{scope}` → the names of a path's parameters, in order. */
export function pathParameters(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}

/** The path in Hono's syntax: `{x}` → `:x`, the rest parameter → `*`. */
export function honoPath(spec: Pick<RouteSpec, "path" | "rest">): string {
  const path = spec.rest ? spec.path.replace(`{${spec.rest}}`, "*") : spec.path;
  return path.replace(/\{(\w+)\}/g, ":$1");
}
