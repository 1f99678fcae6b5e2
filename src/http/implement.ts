// Registers a route group of the contract (src/api/) on Hono: each entry's access declaration
// first, then its path parameters and query parsed by the contract's schemas, then its
// handler, whose answer the compiler checks against the entry's responses. The body is read
// when the handler asks for it, so a route can refuse a caller before reading an upload, and
// never past the entry's size limit. The error handler finds the matched entry (matchedRoute)
// to answer in its declared error form.
import { Hono, type Context } from "hono";
import { matchedRoutes } from "hono/route";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import type { AppEnv } from "../env";
import type { BodyOf, HasRawAnswer, JsonReply, ParamsOf, QueryOf, RouteGroup, RouteSpec } from "../api/contract";
import { bodyLimit, honoPath, pathParameters } from "../api/contract";
import { RegistryError } from "../domain/errors";
import { declare } from "./middleware/route-access";
import { parseJson, zodProblem } from "./json-body";
import { readArchiveUpload } from "./upload";
import { readTextBody } from "./text-body";
import { jsonWithEtag } from "./conditional";
import { keptForGood, KEPT_PATH_MAX } from "./kept-routes";

export interface RouteInput<R extends RouteSpec> {
  params: ParamsOf<R>;
  query: QueryOf<R>;
  /** Reads and checks the body; call it once the route is ready to (after its own checks). */
  body: () => Promise<BodyOf<R>>;
}

/** A JSON answer of the route's shapes, or (for routes with a non-JSON answer) a Response. */
export type Reply<R extends RouteSpec> = JsonReply<R> | (HasRawAnswer<R> extends true ? Response : never);
export type Handler<R extends RouteSpec> = (c: Context<AppEnv>, input: RouteInput<R>) => Reply<R> | Promise<Reply<R>>;
/** One handler for every entry of the group: a missing one fails to compile. */
export type Handlers<G extends RouteGroup> = { [K in keyof G]: Handler<G[K]> };

/** Each route's access declaration (its first handler) → its contract entry. */
const specs = new WeakMap<object, RouteSpec>();

/** The contract entry of the route that matched this request (null for an unknown route). */
export function matchedRoute(c: Context<AppEnv>): RouteSpec | null {
  for (const route of matchedRoutes(c)) {
    const spec = specs.get(route.handler);
    if (spec) return spec;
  }
  return null;
}

const pageTemplates = new WeakMap<object, string>();

/** A route outside the contract (a web page, src/web/routes.tsx) names its template, keyed by its first handler. */
export function nameRoute(handler: object, template: string): void {
  pageTemplates.set(handler, template);
}

/**
 * The template of the route that matched — the contract's (`/v1/packages/{scope}/{name}`) or a
 * page's (`/packages/{scope}/{name}`) — for logs and error tracking; null for an unknown route.
 */
export function routeTemplate(c: Context<AppEnv>): string | null {
  const spec = matchedRoute(c);
  if (spec) return spec.path;
  for (const route of matchedRoutes(c)) {
    const template = pageTemplates.get(route.handler);
    if (template) return template;
  }
  return null;
}

export function implement<G extends RouteGroup>(group: G, handlers: Handlers<G>): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const key of Object.keys(group)) {
    const spec = group[key]!;
    const handler = handlers[key] as unknown as Handler<RouteSpec>;
    checkNames(spec);
    const guard = declare(spec.access);
    specs.set(guard, spec);
    app.on([...spec.methods], honoPath(spec), guard, async (c) => {
      const input: RouteInput<RouteSpec> = {
        params: spec.params ? (paramsOf(c, spec, spec.params) as ParamsOf<RouteSpec>) : {},
        query: spec.query ? (parse(spec.query, c.req.query(), "query") as QueryOf<RouteSpec>) : {},
        body: () => readBody(c, spec) as Promise<BodyOf<RouteSpec>>,
      };
      const reply = await handler(c, input);
      return (reply as unknown) instanceof Response
        ? (reply as Response)
        : send(c, spec, reply as { status: number; body: unknown });
    });
  }
  return app;
}

/**
 * What a route's parameters name must be what it declares: private mode's package limit is
 * checked on `{scope}/{name}` (a package) or `{scope}` (a scope) only when the route says so.
 */
function checkNames(spec: RouteSpec): void {
  const names = pathParameters(spec.path);
  const expected = names.includes("scope") ? (names.includes("name") ? "package" : "scope") : null;
  const declared = spec.access.names === "package" || spec.access.names === "scope" ? spec.access.names : null;
  if (expected !== declared)
    throw new Error(
      `${spec.methods.join(",")} ${spec.path} names ${expected ?? "nothing"} in its path but declares names: "${spec.access.names}"`,
    );
}

/**
 * Each route's parsed path parameters by routed path: a path parses the same way every time, and
 * parsing (names and versions checked by the domain's rules) was about 1 % of a download's CPU
 * under load (docs/performance.md, "Sixth pass"). One memo for every route, so its bound
 * (KEPT_MAX) is the isolate's, not each route's. Frozen: every request of that path shares it.
 * A path that fails to parse is not kept (its error is thrown again each time).
 */
const parsedParams = keptForGood<unknown>();

function paramsOf(c: Context<AppEnv>, spec: RouteSpec, schema: z.ZodType): unknown {
  const path = c.req.path;
  const key = `${spec.methods.join(",")} ${spec.path} ${path}`;
  const hit = parsedParams.get(key);
  if (hit) return hit;
  const params = Object.freeze(parse(schema, pathValues(c, spec), "path parameter"));
  if (path.length <= KEPT_PATH_MAX) parsedParams.set(key, params);
  return params;
}

/** The raw path parameters (decoded by Hono); a rest parameter is the rest of the routed path. */
function pathValues(c: Context<AppEnv>, spec: RouteSpec): Record<string, string> {
  const values: Record<string, string> = { ...c.req.param() };
  if (spec.rest) {
    const prefix = spec.path.slice(0, spec.path.indexOf(`{${spec.rest}}`));
    values[spec.rest] = c.req.path.startsWith(prefix) ? c.req.path.slice(prefix.length) : "";
  }
  return values;
}

function parse(schema: z.ZodType, value: unknown, what: string): unknown {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new RegistryError("bad_request", `invalid ${what}: ${zodProblem(parsed.error)}`);
  return parsed.data;
}

function readBody(c: Context<AppEnv>, spec: RouteSpec): Promise<unknown> {
  const body = spec.body;
  if (!body) return Promise.resolve(undefined);
  if (body.kind === "archive") return readArchiveUpload(c);
  if (body.kind === "text") return readTextBody(c, body);
  if (body.optional && !c.req.header("content-type")) return Promise.resolve(undefined);
  return parseJson(c, body.schema, bodyLimit(body));
}

function send(
  c: Context<AppEnv>,
  spec: RouteSpec,
  reply: { status: number; body: unknown },
): Response | Promise<Response> {
  const answer = spec.responses[reply.status];
  if (!answer || !("schema" in answer))
    throw new Error(`${c.req.method} ${spec.path} answered ${reply.status}, which its contract does not declare`);
  if (answer.etag) return jsonWithEtag(c, reply.body);
  return c.json(reply.body, reply.status as ContentfulStatusCode);
}
