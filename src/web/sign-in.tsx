// Private mode's sign-in and sign-out (docs/web.md). The sign-in takes a read token, keeps only
// its hash (services/web-sessions.ts) and sets `__Host-ori_session` (HttpOnly, Secure,
// SameSite=Strict) to a random session secret, never the token. Both POSTs are protected from
// cross-site requests three ways: SameSite=Strict cookies, an Origin that must be this site's,
// and a CSRF token — for the sign-in, the value of a `__Host-ori_csrf` cookie set with the form
// (double submit); for the sign-out, a hash of the session secret only this browser has.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../env";
import { RegistryError } from "../domain/errors";
import { principalOfTokenHash, TOKEN_FORM } from "../http/middleware/auth";
import { recordAuthFailure } from "../http/middleware/rate-limit";
import { readLimited } from "../util/read-limited";
import { SESSION_LIFETIME_MS, WebSessions } from "../services/web-sessions";
import { bytesEqual, sha256Bytes, sha256Hex, toHex, utf8 } from "../util/bytes";
import { localPath } from "./links";
import { SignInPage } from "./pages/sign-in-page";
import { page } from "./respond";
import { CACHE } from "./security";

export const SESSION_COOKIE = "__Host-ori_session";
export const CSRF_COOKIE = "__Host-ori_csrf";
/** A sign-in or sign-out form is a few hundred bytes. */
const FORM_LIMIT = 4096;
const CSRF_LIFETIME_S = 3600;

const cookieOptions = { path: "/", secure: true, httpOnly: true, sameSite: "Strict" } as const;

/** The sign-out form's token for a session: derived from its secret, which only this browser holds. */
export function signOutToken(sessionSecret: string): Promise<string> {
  return sha256Hex(`ori-sign-out\n${sessionSecret}`);
}

export function sessionSecretOf(c: Context<AppEnv>): string | null {
  return getCookie(c, SESSION_COOKIE) ?? null;
}

export function forgetSession(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, cookieOptions);
}

/**
 * The sign-in form, with a fresh CSRF token in its cookie: at /sign-in (`?next=`), in place of
 * any page asked for without a session (back to that page after), or again after a refusal.
 */
export async function signInForm(
  c: Context<AppEnv>,
  error: string | null = null,
  status = 200,
  next?: string | null,
): Promise<Response> {
  const csrf = randomToken();
  setCookie(c, CSRF_COOKIE, csrf, { ...cookieOptions, maxAge: CSRF_LIFETIME_S });
  const back = localPath(next ?? (c.req.path === "/sign-in" ? c.req.query("next") : pathAndQuery(c)));
  return page(
    c,
    { title: "Sign in", bare: true },
    <SignInPage csrf={csrf} next={back} error={error} />,
    status,
    CACHE.private,
  );
}

/** POST /sign-in: a read token opens a session; anything else answers the form again, saying why. */
export async function signIn(c: Context<AppEnv>): Promise<Response> {
  const form = await readForm(c);
  const next = form.get("next");
  const expected = getCookie(c, CSRF_COOKIE);
  if (!expected || !sameToken(form.get("csrf") ?? "", expected))
    return signInForm(c, "The form had expired or came from another site. Sign in again.", 403, next);
  const token = form.get("token")?.trim() ?? "";
  if (!TOKEN_FORM.test(token)) return signInForm(c, "That is not a registry token: they start with ori_.", 400, next);
  const hash = await sha256Bytes(token);
  const principal = await principalOfTokenHash(c, hash);
  if (!principal) {
    await recordAuthFailure(c);
    return signInForm(c, "That token is unknown, expired or revoked.", 401, next);
  }
  if (!principal.scopes.includes("read"))
    return signInForm(c, "That token lacks the read scope, which every page of this registry needs.", 403, next);
  const ends = Math.min(
    Date.now() + SESSION_LIFETIME_MS,
    principal.expiresAt ? Date.parse(principal.expiresAt) : Number.POSITIVE_INFINITY,
  );
  const secret = await new WebSessions(c.env).open(toHex(hash), new Date(ends));
  setCookie(c, SESSION_COOKIE, secret, { ...cookieOptions, maxAge: Math.floor((ends - Date.now()) / 1000) });
  deleteCookie(c, CSRF_COOKIE, cookieOptions);
  c.header("Cache-Control", CACHE.private);
  return c.redirect(localPath(next), 303);
}

/** POST /sign-out: ends this browser's session (its KV record and its cookie). */
export async function signOut(c: Context<AppEnv>): Promise<Response> {
  const form = await readForm(c);
  const secret = sessionSecretOf(c);
  if (secret) {
    if (!sameToken(form.get("csrf") ?? "", await signOutToken(secret)))
      throw new RegistryError("forbidden", "the sign-out form came from another site or an old page; reload and retry");
    await new WebSessions(c.env).close(secret);
  }
  forgetSession(c);
  c.header("Cache-Control", CACHE.private);
  return c.redirect("/sign-in", 303);
}

/** A form POST from this site only: the Origin (when the browser sends one) must be ours. */
async function readForm(c: Context<AppEnv>): Promise<URLSearchParams> {
  const origin = c.req.header("origin");
  if (origin !== undefined && origin !== new URL(c.req.url).origin)
    throw new RegistryError("forbidden", "this form may only be sent from this site");
  if (c.req.header("sec-fetch-site") === "cross-site")
    throw new RegistryError("forbidden", "this form may only be sent from this site");
  const type = c.req.header("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded"))
    throw new RegistryError("unsupported_media_type", "send the form as application/x-www-form-urlencoded");
  const bytes = await readLimited(
    c.req.raw,
    FORM_LIMIT,
    () => new RegistryError("bad_request", `a form is at most ${FORM_LIMIT} bytes`),
  );
  return new URLSearchParams(new TextDecoder().decode(bytes));
}

function sameToken(a: string, b: string): boolean {
  return a.length === b.length && bytesEqual(utf8(a), utf8(b));
}

function randomToken(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

function pathAndQuery(c: Context<AppEnv>): string {
  const url = new URL(c.req.url);
  return `${url.pathname}${url.search}`;
}
