// The access policy of each route (its contract entry says it; route-access.ts declares and
// checks it), and how to find the policy of the route that matched a request.
import type { Context } from "hono";
import { matchedRoutes } from "hono/route";
import type { AppEnv } from "../../env";
import type { RouteAccess } from "../../api/contract";

export type { RouteAccess } from "../../api/contract";

/** Each declaration's middleware → its policy. */
export const declared = new WeakMap<object, RouteAccess>();

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
