// Middleware layers run as one Hono layer: each layer's next() calls the next layer directly, the
// last one's is Hono's. Hono wraps every layer it composes in its own async dispatch frame; on a
// 1 MiB download under load, folding six layers into two saved about 1.3 % of the runtime's CPU
// (docs/performance.md, "Sixth pass"). What changes against one Hono layer each:
// - a layer answers by throwing or by setting c.res, never by returning a Response (the type
//   says so: Hono would take a returned Response, a layer here would drop it);
// - a layer's error is answered by the app's error handler where the group sits, so the
//   after-next code of the layers outside it in the same group does not run. Group only layers
//   whose after-code has nothing to add to such an answer (app.ts says why for each group).
import type { Context, Env, MiddlewareHandler, Next } from "hono";

/** A middleware layer that answers by throwing or setting c.res, never by returning one. */
export type Layer<E extends Env> = (c: Context<E>, next: Next) => Promise<void>;

export function inOrder<E extends Env>(...layers: [Layer<E>, ...Layer<E>[]]): MiddlewareHandler<E> {
  return layers.reduceRight((inner, outer) => (c, next) => outer(c, () => inner(c, next)));
}
