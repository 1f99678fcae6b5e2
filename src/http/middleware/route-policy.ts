// The access policy each route declares (route-access.ts makes and checks them), and how to
// find the policy of the route that matched a request. Apart so that params.ts can ask too.
import type { Context } from "hono";
import { matchedRoutes } from "hono/route";
import type { AppEnv } from "../../env";
import type { TokenScope } from "../../domain/access";

export interface RouteAccess {
  /**
   * `anyone`: even in private mode (health). `reader`: anyone, or in private mode a token with
   * the read scope. `token`: a valid token, with `scope` if given. `registry-admin`: an admin
   * account's unlimited token with the admin scope, or the operator token.
   */
  caller: "anyone" | "reader" | "token" | "registry-admin";
  scope: TokenScope | null;
  /**
   * What the route's parameters name. In private mode a token limited to some packages sees
   * a package (`:scope/:name`) or scope (`:scope`) outside its patterns as missing (404), and
   * may not call a route that lists every package (`all-packages`: the log's entry bundles).
   */
  names: "nothing" | "package" | "scope" | "all-packages";
  /** Anonymous calls: the API budget, or the larger one for downloads and log reads. */
  budget: "api" | "bulk";
}

/** Each declaration's middleware → its policy. */
export const declared = new WeakMap<Function, RouteAccess>();

/**
 * The access policy of the route Hono will run for this request, found before the route's own
 * handlers run (the rate limit needs its budget first): the first declared policy among the
 * routes that matched, which is the first route's, since every route answers. Null when no
 * route matched (a 404).
 */
export function routeAccessOf(c: Context<AppEnv>): RouteAccess | null {
  for (const route of matchedRoutes(c)) {
    const policy = declared.get(route.handler);
    if (policy) return policy;
  }
  return null;
}

