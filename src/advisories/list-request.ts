// `GET /v1/advisories?package=&version=&include_withdrawn=&limit=&page_token=` as a checked
// request: a package name by the registry's name rule, a version only with a package and by the
// version rule, a page size within the limits. Throws RegistryError (a 400 that says the rule).
import { RegistryError } from "../domain/errors";
import { parsePackageName } from "../domain/names";
import { parseVersion } from "../domain/versions";

export const LIST_LIMITS = { default: 50, max: 200 } as const;

export interface ListRequest {
  package: string | null;
  version: string | null;
  includeWithdrawn: boolean;
  limit: number;
  pageToken: string | null;
}

export interface RawListQuery {
  package?: string | undefined;
  version?: string | undefined;
  include_withdrawn?: string | undefined;
  limit?: string | undefined;
  page_token?: string | undefined;
}

export function parseListRequest(q: RawListQuery): ListRequest {
  const pkg = q.package === undefined ? null : parsePackageName(q.package).full;
  if (q.version !== undefined) {
    if (pkg === null)
      throw new RegistryError("bad_request", "version needs package: /v1/advisories?package=@scope/name&version=1.2.3");
    parseVersion(q.version);
  }
  const limit = q.limit === undefined ? LIST_LIMITS.default : /^[0-9]{1,4}$/.test(q.limit) ? Number(q.limit) : NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > LIST_LIMITS.max)
    throw new RegistryError("bad_request", `limit is a whole number from 1 to ${LIST_LIMITS.max}`);
  if (q.include_withdrawn !== undefined && q.include_withdrawn !== "true" && q.include_withdrawn !== "false")
    throw new RegistryError("bad_request", "include_withdrawn is true or false");
  return {
    package: pkg,
    version: q.version ?? null,
    includeWithdrawn: q.include_withdrawn === "true",
    limit,
    pageToken: q.page_token ?? null,
  };
}
