// Private mode (PRIVATE_MODE="true", a company's own registry): every read needs a token with
// the read scope, and answers are marked private for caches. A token limited to some packages
// sees the others as not existing: package routes check that in `packageParam` (params.ts);
// here we refuse the two reads that would list other packages — entry bundles of the log and
// scope member lists of scopes the token does not cover.
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../../env";
import { grantCoversScope } from "../../domain/access";
import { RegistryError } from "../../domain/errors";
import { parseScope } from "../../domain/names";
import { requireScope } from "./auth";

export function isPrivate(c: Context<AppEnv>): boolean {
  return c.env.PRIVATE_MODE === "true";
}

export const privateMode: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!isPrivate(c)) return next();
  const path = new URL(c.req.url).pathname;
  if (path === "/v1/health") return next();
  if (c.req.method === "GET" || c.req.method === "HEAD") requireScope(c, "read");
  const principal = c.get("principal");
  if (principal?.packages) {
    if (path.startsWith("/v1/log/tile/entries/")) {
      throw new RegistryError("forbidden", "the log's entry bundles list every package: they need a token that is not limited to some packages");
    }
    const scope = /^\/v1\/scopes\/([^/]+)\//.exec(path)?.[1];
    if (scope && !grantCoversScope(principal, parseScope(scope).full)) throw new RegistryError("not_found", `scope ${scope} does not exist`);
  }
  await next();
  // Shared caches must not keep what only token holders may read.
  const cache = c.res.headers.get("Cache-Control");
  c.res.headers.set("Cache-Control", cache ? cache.replace(/\bpublic\b/, "private") : "private");
};
