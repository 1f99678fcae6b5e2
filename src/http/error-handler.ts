// The one place errors become HTTP responses: `{"error": {"code", "message"}}` (with osv.dev's
// `{code, message}` beside it where the route's contract entry says `errorBody: "osv"`), the
// status and the public message the error table (src/api/errors.ts) gives the code — for a
// RegistryError, an unknown route, or an unexpected fault (internal_error) alike. Only server
// faults are logged, with the request id, never secrets.
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../env";
import { RegistryError, type ErrorCode } from "../domain/errors";
import { errorAnswer, publicMessage, statusOf } from "../api/errors";
import { matchedRoute } from "./implement";
import { visible } from "../domain/text";

export function handleError(err: Error, c: Context<AppEnv>): Response {
  const requestId = c.get("requestId") ?? null;
  if (requestId) c.header("X-Request-Id", requestId);
  const known = err instanceof RegistryError ? err : null;
  const code: ErrorCode = known?.code ?? "internal_error";
  const status = statusOf(code) as ContentfulStatusCode;
  if (status >= 500) logFault(c, err);
  if (status === 401) c.header("WWW-Authenticate", 'Bearer realm="ori-registry"');
  if (known?.retryAfter !== undefined) c.header("Retry-After", String(Math.max(1, Math.ceil(known.retryAfter))));
  // Messages may quote what a caller sent: shown as escapes, never as controls (text.ts).
  const message = visible(publicMessage(code, err.message, requestId));
  // In the form the matched route's contract entry declares (osv.dev's on the OSV routes).
  return c.json(errorAnswer(matchedRoute(c)?.errorBody ?? "registry", code, message), status);
}

export function notFound(c: Context<AppEnv>): Response {
  return handleError(
    new RegistryError("route_not_found", `no route for ${c.req.method} ${new URL(c.req.url).pathname}`),
    c,
  );
}

function logFault(c: Context<AppEnv>, err: Error): void {
  console.error(
    JSON.stringify({
      level: "error",
      requestId: c.get("requestId"),
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      error: err.name,
      code: err instanceof RegistryError ? err.code : undefined,
      message: err.message,
      stack: err.stack,
    }),
  );
}
