// Every web answer (any path outside /v1) goes through here, before and after its route: who
// the reader is (a Bearer token, or in private mode the sign-in cookie), private mode's rule
// (no page without a read token: the sign-in page instead, never data), the rate limit (the
// budget the matched route declares, as for the API), errors and unknown paths as HTML pages
// instead of JSON, and the security headers (security.ts).
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { RegistryError } from "../domain/errors";
import { publicMessage, statusOf } from "../api/errors";
import { reportFault } from "../http/error-handler";
import { authenticate, principalOfTokenHash } from "../http/middleware/auth";
import { isPrivate } from "../http/middleware/private-mode";
import { rateLimit } from "../http/middleware/rate-limit";
import { routeAccessOf } from "../http/middleware/route-policy";
import { WebSessions } from "../services/web-sessions";
import { visible } from "../domain/text";
import { fromHex } from "../util/bytes";
import { ErrorPage, NotFoundPage } from "./pages/error-pages";
import { page, rememberSession } from "./respond";
import { applySecurityHeaders } from "./security";
import { forgetSession, sessionSecretOf, signInForm, signOutToken } from "./sign-in";

/** Paths a reader who is not signed in may reach in private mode. */
const OPEN_IN_PRIVATE_MODE = new Set(["/sign-in", "/sign-out"]);

export function isApiPath(path: string): boolean {
  return path === "/v1" || path.startsWith("/v1/");
}

/** Every path outside /v1 (app.ts sends only those here; the API has its own layers). */
export const webPages: MiddlewareHandler<AppEnv> = async (c, next) => {
  const path = c.req.path;
  if (path.startsWith("/static/")) {
    // Static files: the same for everyone, no storage touched, so no identity and no limit.
    await next();
  } else {
    try {
      await identify(c);
      if (isPrivate(c) && !c.get("principal") && !OPEN_IN_PRIVATE_MODE.has(path)) {
        c.set("errorCode", "unauthorized");
        c.res = await signInForm(c, null, 401);
      } else {
        await rateLimit(c, next);
        // A route's error has been through the app's error handler (logged, tracked): now as a page.
        if (c.error) c.res = await errorPage(c, c.error, true);
        else if (routeAccessOf(c) === null) {
          c.set("errorCode", "route_not_found");
          c.res = await notFoundPage(c);
        }
      }
    } catch (err) {
      c.res = await errorPage(c, err, false);
    }
  }
  applySecurityHeaders(c.res.headers);
};

/**
 * Sets the principal: a Bearer token (as the API reads it), else — in private mode — the
 * sign-in cookie's session, whose token is looked up again by its hash on every request (a
 * revoked token ends the session). A public registry's pages need no one and read no cookie.
 */
async function identify(c: Context<AppEnv>): Promise<void> {
  c.set("principal", null);
  if (c.req.header("authorization")) {
    await authenticate(c, () => Promise.resolve());
    return;
  }
  if (!isPrivate(c)) return;
  const secret = sessionSecretOf(c);
  if (!secret) return;
  const sessions = new WebSessions(c.env);
  const session = await sessions.find(secret);
  const principal = session ? await principalOfTokenHash(c, fromHex(session.tokenSha256) ?? new Uint8Array()) : null;
  if (!principal || !principal.scopes.includes("read")) {
    if (session) c.executionCtx.waitUntil(sessions.close(secret).catch(() => undefined));
    forgetSession(c);
    return;
  }
  c.set("principal", principal);
  rememberSession(c, { username: principal.username, csrf: await signOutToken(secret) });
}

/** An error as a page: its status and public message from the error table, the request id. */
async function errorPage(c: Context<AppEnv>, err: unknown, reported: boolean): Promise<Response> {
  const known = err instanceof RegistryError ? err : null;
  const code = known?.code ?? "internal_error";
  const status = statusOf(code);
  c.set("errorCode", code);
  // A fault outside the route (identifying the reader, the limit): reported as the API's are.
  if (status >= 500 && !reported) reportFault(c, err instanceof Error ? err : new Error(String(err)), status);
  const requestId = c.get("requestId") ?? null;
  const message = visible(publicMessage(code, known?.message ?? "", requestId));
  c.res.headers.delete("WWW-Authenticate");
  if (status === 404) return notFoundPage(c, message);
  if (known?.retryAfter !== undefined) c.header("Retry-After", String(Math.max(1, Math.ceil(known.retryAfter))));
  return page(
    c,
    { title: `Error ${status}` },
    <ErrorPage status={status} code={code} message={message} requestId={requestId} />,
    status,
  );
}

async function notFoundPage(c: Context<AppEnv>, what?: string): Promise<Response> {
  const guess = c.req.path.replace(/^\/+/, "").split("/").filter(Boolean).slice(-1)[0] ?? "";
  return page(
    c,
    { title: "Not found" },
    <NotFoundPage
      what={what ?? `There is no page at ${visible(c.req.path.slice(0, 200))}.`}
      suggestion={/^[a-z0-9-]{1,64}$/.test(guess) ? guess : null}
    />,
    404,
  );
}
