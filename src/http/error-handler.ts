// The one place errors become HTTP responses: `{"error": {"code", "message"}}` with the status
// from the error table. Only server faults are logged, with the request id, never secrets.
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { RegistryError } from "../domain/errors";
import { statusOf } from "./error-table";
import { osvErrorFields } from "./osv-errors";
import { visible } from "../domain/text";

export function handleError(err: Error, c: Context<AppEnv>): Response {
  const requestId = c.get("requestId");
  if (requestId) c.header("X-Request-Id", requestId);
  if (err instanceof RegistryError) {
    const status = statusOf(err.code);
    if (status >= 500) logFault(c, err);
    if (status === 401) c.header("WWW-Authenticate", 'Bearer realm="ori-registry"');
    // Messages may quote what a caller sent: shown as escapes, never as controls (text.ts).
    const message = visible(err.message);
    return c.json({ ...osvErrorFields(new URL(c.req.url).pathname, status, message), error: { code: err.code, message } }, status);
  }
  logFault(c, err);
  const message = `an internal error occurred (request ${requestId ?? "unknown"})`;
  return c.json({ ...osvErrorFields(new URL(c.req.url).pathname, 500, message), error: { code: "internal_error", message } }, 500);
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
