// Renders a page into an answer: the layout around the page's content, the doctype, the status,
// and the cache rule (security headers are added to every web answer by the middleware).
import type { Child } from "hono/jsx";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { isPrivate } from "../http/middleware/private-mode";
import { Layout, type Frame } from "./components/layout";
import { CACHE } from "./security";

/** Private mode: the signed-in reader and their sign-out token, per request (set by the middleware). */
const sessions = new WeakMap<Request, { username: string; csrf: string }>();

export function rememberSession(c: Context<AppEnv>, session: { username: string; csrf: string }): void {
  sessions.set(c.req.raw, session);
}

export function sessionOf(c: Context<AppEnv>): { username: string; csrf: string } | null {
  return sessions.get(c.req.raw) ?? null;
}

export async function page(
  c: Context<AppEnv>,
  frame: Omit<Frame, "session">,
  content: Child,
  status = 200,
  cache?: string,
): Promise<Response> {
  const body = await (
    <Layout {...frame} session={sessionOf(c)}>
      {content}
    </Layout>
  ).toString();
  c.header("Cache-Control", cache ?? (isPrivate(c) || status >= 500 ? CACHE.private : CACHE.publicPage));
  return c.html(`<!DOCTYPE html>${body}`, status as 200);
}
