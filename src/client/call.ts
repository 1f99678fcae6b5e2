// Calls one route of the contract (src/api/): builds its URL from the entry's path, sends it
// through the Transport, and types the JSON answer with the entry's schema. Answers a
// verification is based on are also checked at run time (`check`: the contract's schema, or the
// part of it the verification reads, e.g. `VersionMetadata.pick(…)`): a registry that answers
// with something else — null, a missing field, a string where a number belongs — is treated
// like one whose proof does not verify, a VerificationError naming the field, never a TypeError
// deep inside a check. Extra fields are fine (a newer registry may add some) and are kept.
import type { z } from "zod";
import type { AnswerOf, BodyIn, ParamsIn, QueryIn, RouteSpec } from "../api/contract";
import { VerificationError } from "./errors";
import type { Query, RequestOptions, Transport } from "./transport";

export interface CallArgs<R extends RouteSpec> {
  params?: ParamsIn<R>;
  query?: QueryIn<R>;
  json?: BodyIn<R>;
  /** A raw body (an archive upload) with its headers, instead of `json`. */
  body?: BodyInit;
  headers?: Record<string, string>;
  /** What the answer is, for a VerificationError's subject: `the metadata of @acme/http@1.0.0`. */
  what?: string;
  /** Check the answer against this schema (taken from the route's answer schema). */
  check?: z.ZodType;
}

/** `/v1/packages/{scope}/{name}` with the parameters filled in (a rest parameter keeps its slashes). */
export function routeUrlPath(spec: Pick<RouteSpec, "path" | "rest">, params: Record<string, string> = {}): string {
  return spec.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`${spec.path} needs the parameter ${name}`);
    if (name === spec.rest) return value.split("/").map(segment).join("/");
    return segment(value);
  });
}

/** One path segment, percent-encoded; `@` (a scope) is a valid path character and stays. */
function segment(value: string): string {
  return encodeURIComponent(value).replace(/%40/g, "@");
}

/** Sends the request a route describes; the raw Response (for routes that do not answer JSON). */
export function send<R extends RouteSpec>(
  http: Transport,
  spec: R,
  args: CallArgs<R> = {},
  opts: RequestOptions = {},
): Promise<Response> {
  const path = routeUrlPath(spec, args.params as Record<string, string> | undefined);
  return http.send(path, {
    ...opts,
    method: spec.methods[0],
    query: args.query as Query | undefined,
    ...(args.json !== undefined ? { json: args.json } : {}),
    ...(args.body !== undefined ? { body: args.body } : {}),
    headers: { ...opts.headers, ...args.headers },
  });
}

/** Calls a JSON route and returns its answer, checked against the contract. */
export async function call<R extends RouteSpec>(
  http: Transport,
  spec: R,
  args: CallArgs<R> = {},
): Promise<AnswerOf<R>> {
  const res = await send(http, spec, args);
  const what =
    args.what ?? `${spec.methods[0]} ${routeUrlPath(spec, args.params as Record<string, string> | undefined)}`;
  const body = await http.readJson(res, what);
  if (!args.check) return body as AnswerOf<R>;
  const answer = spec.responses[res.status];
  if (!answer || !("schema" in answer)) {
    throw new VerificationError(`the registry's answer to ${what}`, [
      { check: "answer status", detail: `${res.status} is not a status this route answers with` },
    ]);
  }
  return checkShape(what, args.check, body) as AnswerOf<R>;
}

/** `body` if it has the shape (as sent, extra fields kept); otherwise a VerificationError listing each field that is wrong. */
export function checkShape<S extends z.ZodType>(what: string, shape: S, body: unknown): z.output<S> {
  const parsed = shape.safeParse(body);
  if (parsed.success) return body as z.output<S>;
  throw new VerificationError(
    `the registry's answer to ${what}`,
    parsed.error.issues
      .slice(0, 5)
      .map((i) => ({ check: `answer field ${i.path.length ? i.path.join(".") : "(the body)"}`, detail: i.message })),
  );
}
