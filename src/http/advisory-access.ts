// How much of the advisory database a reader may see. Who may call each route is declared with
// it (`access.read()`, route-access.ts: in private mode a read-scoped token, POST reads too); a
// token limited to some packages then sees only what concerns them (src/advisories/visibility.ts).
import type { Context } from "hono";
import type { AppEnv } from "../env";
import type { PackageLimit } from "../advisories/visibility";
import { requireScope } from "./middleware/auth";
import { isPrivate } from "./middleware/private-mode";

/** The reader's package limit: null (everything) in a public registry or for an unlimited token. */
export function readerLimit(c: Context<AppEnv>): PackageLimit {
  if (!isPrivate(c)) return null;
  const principal = requireScope(c, "read");
  return principal.packages === null ? null : { packages: principal.packages };
}
