// The one place errors become HTTP responses: `{"error": {"code", "message"}}` (with osv.dev's
// `{code, message}` beside it where the route's contract entry says `errorBody: "osv"`), the
// status and the public message the error table (src/api/errors.ts) gives the code — for a
// RegistryError, an unknown route, or an unexpected fault (internal_error) alike. Server faults
// (5xx) are logged — the route template, never the raw path; the message redacted — and
// recorded by error tracking after the answer, so the caller's answer is neither changed nor
// delayed by it.
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../env";
import { RegistryError, type ErrorCode } from "../domain/errors";
import { errorAnswer, publicMessage, statusOf } from "../api/errors";
import { matchedRoute, routeTemplate } from "./implement";
import { visible } from "../domain/text";
import { logLine } from "../monitoring/log-line";
import { redact } from "../monitoring/redact";
import { shortStack } from "../monitoring/fingerprint";
import { trackError } from "../objects/error-recorder";

export function handleError(err: Error, c: Context<AppEnv>): Response {
  const requestId = c.get("requestId") ?? null;
  if (requestId) c.header("X-Request-Id", requestId);
  const known = err instanceof RegistryError ? err : null;
  const code: ErrorCode = known?.code ?? "internal_error";
  const status = statusOf(code) as ContentfulStatusCode;
  c.set("errorCode", code);
  if (status >= 500) reportFault(c, err, status);
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

/** A server fault: its redacted log line now, its error group after the answer (the web UI's pages report theirs here too). */
export function reportFault(c: Context<AppEnv>, err: Error, status: number): void {
  const where = `${c.req.method} ${routeTemplate(c) ?? "(no route)"}`;
  console.error(
    logLine("error", "server fault", {
      requestId: c.get("requestId"),
      where,
      status,
      error: err.name,
      code: err instanceof RegistryError ? err.code : undefined,
      message: redact(err.message),
      stack: shortStack(err.stack).map((l) => redact(l, 300)),
    }),
  );
  const ctx = executionContext(c);
  if (ctx)
    trackError(
      c.env,
      (p) => ctx.waitUntil(p),
      { kind: "route", where, requestId: c.get("requestId") ?? null, status },
      err,
    );
}

/** The request's ExecutionContext (absent when the app is called without one, as some unit uses do). */
function executionContext(c: Context<AppEnv>): { waitUntil(p: Promise<unknown>): void } | null {
  try {
    return c.executionCtx;
  } catch {
    return null;
  }
}
