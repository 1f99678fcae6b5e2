// Per-route access, declared by the route's contract entry (src/api/contract.ts `access.*()`) and
// checked on the route that actually matched: `implement` makes `declare(entry.access)` every
// route's first handler — who may call it, what its parameters name, and which rate-limit
// budget an anonymous call is charged to. The check runs inside the matched
// route, after routing, on the parameters Hono decoded — never on a regex of the raw URL, which
// an encoding (`/v1/%73copes/…`) can make disagree with the route. `assertEveryRouteDeclared`
// makes createApp refuse to build an app with a route that declares nothing.
import type { Context, Hono, MiddlewareHandler } from "hono";
import type { AppEnv } from "../../env";
import type { RouteAccess } from "../../api/contract";
import { packageOf } from "../../api/params";
import { grantCoversPackage, grantCoversScope } from "../../domain/access";
import { RegistryError } from "../../domain/errors";
import { parseScope } from "../../domain/names";
import { declared, routeAccessOf } from "./route-policy";
import { requireAdmin, requirePrincipal, requireScope } from "./auth";
import { isPrivate } from "./private-mode";

/** The middleware that declares (and enforces) a route's access; its first handler. */
export function declare(policy: RouteAccess): MiddlewareHandler<AppEnv> {
  const handler: MiddlewareHandler<AppEnv> = async (c, next) => {
    // The rate limit charged the budget of the policy it found before this chain ran: it must
    // be this route's own, or nothing here can be trusted.
    if (routeAccessOf(c) !== policy)
      throw new Error("the route access charged before routing is not the matched route's own");
    enforce(c, policy);
    await next();
  };
  declared.set(handler, policy);
  return handler;
}

function enforce(c: Context<AppEnv>, policy: RouteAccess): void {
  switch (policy.caller) {
    case "anyone":
      return;
    case "reader":
      if (isPrivate(c)) requireScope(c, "read");
      break;
    case "token":
      if (policy.scope) requireScope(c, policy.scope);
      else requirePrincipal(c);
      break;
    case "registry-admin":
      requireAdmin(c);
      break;
  }
  const principal = c.get("principal");
  if (!isPrivate(c) || !principal?.packages) return;
  switch (policy.names) {
    case "nothing":
      return;
    case "package": {
      const pkg = packageOf({ scope: c.req.param("scope") ?? "", name: c.req.param("name") ?? "" });
      if (!grantCoversPackage(principal, pkg))
        throw new RegistryError("package_not_found", `package ${pkg} does not exist`);
      return;
    }
    case "scope": {
      const scope = parseScope(c.req.param("scope") ?? "").full;
      if (!grantCoversScope(principal, scope)) throw new RegistryError("not_found", `scope ${scope} does not exist`);
      return;
    }
    case "all-packages":
      throw new RegistryError(
        "forbidden",
        "this lists every package: it needs a token that is not limited to some packages",
      );
  }
}

/** Throws unless every route of the app starts with an access declaration (`implement` adds it). */
export function assertEveryRouteDeclared(app: Hono<AppEnv>): void {
  const first = new Map<string, object>();
  for (const route of app.routes) {
    if (route.method === "ALL" && route.path.endsWith("*")) continue; // app.use() middleware; app.all("/x") is a route
    const key = `${route.method} ${route.path}`;
    if (!first.has(key)) first.set(key, route.handler);
  }
  const missing = [...first].filter(([, handler]) => !declared.has(handler)).map(([key]) => key);
  if (missing.length > 0)
    throw new Error(
      `routes without an access declaration (register them with implement() from a contract entry): ${missing.join(", ")}`,
    );
}
