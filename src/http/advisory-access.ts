// Who may read advisories, and how much of them. Reads need the read scope in private mode —
// also the POST reads (/v1/query, /v1/querybatch, /v1/audit), which the private-mode middleware
// (GET and HEAD only) does not cover — and a token limited to some packages sees only what
// concerns them (src/advisories/visibility.ts).
import type { Context } from "hono";
import type { AppEnv } from "../env";
import type { PackageLimit } from "../advisories/visibility";
import { RegistryError } from "../domain/errors";
import { requireScope } from "./middleware/auth";
import { isPrivate } from "./middleware/private-mode";

/** The reader's package limit: null (everything) in a public registry or for an unlimited token. */
export function readerLimit(c: Context<AppEnv>): PackageLimit {
  if (!isPrivate(c)) return null;
  const principal = requireScope(c, "read");
  return principal.packages === null ? null : { packages: principal.packages };
}

/** The export lists every package's advisories: like the log's entry bundles, not for a limited token. */
export function requireUnlimitedReader(c: Context<AppEnv>): void {
  if (readerLimit(c) !== null) throw new RegistryError("forbidden", "the advisory export lists every package: it needs a token that is not limited to some packages");
}
