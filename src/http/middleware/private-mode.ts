// Private mode (PRIVATE_MODE="true", a company's own registry): every read needs a token with
// the read scope, and a token limited to some packages sees the others as not existing (404),
// so a private registry never reveals which packages it holds.
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../env";
import { grantCoversPackage } from "../../domain/access";
import { RegistryError } from "../../domain/errors";
import { requireScope } from "./auth";

const PACKAGE_PATH = /^\/v1\/(?:packages|log\/lookup)\/(@?[^/]+)\/([^/]+)/;

export const privateMode: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.env.PRIVATE_MODE !== "true") return next();
  const path = new URL(c.req.url).pathname;
  if (path === "/v1/health") return next();
  if (c.req.method === "GET" || c.req.method === "HEAD") requireScope(c, "read");
  const principal = c.get("principal");
  const m = PACKAGE_PATH.exec(path);
  if (principal && m) {
    const pkg = `${m[1]!.startsWith("@") ? m[1] : `@${m[1]}`}/${m[2]}`;
    if (!grantCoversPackage(principal, decodeURIComponent(pkg))) throw new RegistryError("package_not_found", `package ${pkg} does not exist`);
  }
  await next();
  // Shared caches must not keep what only token holders may read.
  const cache = c.res.headers.get("Cache-Control");
  c.res.headers.set("Cache-Control", cache ? cache.replace(/\bpublic\b/, "private") : "private");
};
