// The one place errors become HTTP responses: `{"error": {"code", "message"}}` with the status
// from the error table. Only server faults are logged, with the request id, never secrets.
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../env";
import { RegistryError } from "../domain/errors";
import { statusOf } from "../api/errors";
import { visible } from "../domain/text";

export function handleError(err: Error, c: Context<AppEnv>): Response {
  const requestId = c.get("requestId");
  if (requestId) c.header("X-Request-Id", requestId);
  if (err instanceof RegistryError) {
    const status = statusOf(err.code) as ContentfulStatusCode;
    if (status >= 500) logFault(c, err);
    if (status === 401) c.header("WWW-Authenticate", 'Bearer realm="ori-registry"');
    // Messages may quote what a caller sent: shown as escapes, never as controls (text.ts).
    return c.json({ error: { code: err.code, message: visible(err.message) } }, status);
  }
  logFault(c, err);
  return c.json({ error: { code: "internal_error", message: `an internal error occurred (request ${requestId ?? "unknown"})` } }, 500);
}

export function notFound(c: Context<AppEnv>): Response {
  return c.json({ error: { code: "route_not_found", message: visible(`no route for ${c.req.method} ${new URL(c.req.url).pathname}`) } }, 404);
}

function logFault(c: Context<AppEnv>, err: Error): void {
  console.error(
    JSON.stringify({
      level: "error",
      requestId: c.get("requestId"),
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      error: err.name,
      message: err.message,
      stack: err.stack,
    }),
  );
}
