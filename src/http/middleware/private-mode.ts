// Private mode (PRIVATE_MODE="true", a company's own registry): every read needs a token with
// the read scope, and a token limited to some packages sees the others as not existing. Who may
// call which route is declared with the route (route-access.ts) and checked on the route that
// matched; here, answers are marked private so that shared caches never keep them.
import type { Context } from "hono";
import type { Layer } from "../in-order";
import type { AppEnv } from "../../env";

export function isPrivate(c: Context<AppEnv>): boolean {
  return c.env.PRIVATE_MODE === "true";
}

export const privateMode: Layer<AppEnv> = async (c, next) => {
  await next();
  if (!isPrivate(c)) return;
  const cache = c.res.headers.get("Cache-Control");
  c.res.headers.set("Cache-Control", cache ? cache.replace(/\bpublic\b/, "private") : "private");
};
