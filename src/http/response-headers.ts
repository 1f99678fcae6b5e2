// Headers added by middleware after the handler answered. Hono's c.header() then copies the
// whole Response on every call (its headers might be immutable, as a fetch()'s are): four copies
// a request in the read path's profile (docs/performance.md). Set them on the Response in place,
// and fall back to c.header() only when the Response refuses.
import type { Context } from "hono";
import type { AppEnv } from "../env";

export function addResponseHeaders(c: Context<AppEnv>, headers: Record<string, string>): void {
  const entries = Object.entries(headers);
  if (c.finalized) {
    try {
      for (const [name, value] of entries) c.res.headers.set(name, value);
      return;
    } catch {
      // immutable headers: the first set throws before any is set
    }
  }
  for (const [name, value] of entries) c.header(name, value);
}
