// What each page shows, gathered through the same services the API's routes use (never a
// binding, never HTTP to ourselves): the package reader (KV, then the PackageWriter), the
// search index, the scope's members, the advisory service, and the pipeline's and monitoring's
// sources (sources.ts). A reader's package limit (private mode) is applied here as the API does.
import type { Env } from "../env";
import type { PackageLimit } from "../advisories/visibility";
import type { VersionRecord } from "../domain/package-records";
import { metadataDocument } from "../domain/package-records";
import { RegistryError } from "../domain/errors";
import { compareVersions } from "../domain/versions";
import { SEARCH_LIMITS, type SearchDocument } from "../domain/search";
import type { SearchHit } from "../api/shapes";
import { PackageReader } from "../services/package-reader";
import { Packages } from "../services/packages";
import { Scopes } from "../services/scopes";
import { Search } from "../services/search";
import { requireLoggedScope } from "../services/package-access";
import { advisoriesOfVersion, withAdvisoryFlags } from "../services/advisory-service";
import type { PackageItem } from "./components/package-list";
import type { PackagePageView } from "./pages/package-page";
import type { SearchView } from "./pages/search-page";
import type { ScopeView } from "./pages/scope-page";
import type { WebSources } from "./sources";

type Ctx = { waitUntil(p: Promise<unknown>): void };

export const HOME_RECENT = 10;
export const SEARCH_PAGE_SIZE = 20;
export const SCOPE_PAGE_SIZE = 50;
export const DEPENDENTS_SHOWN = 50;

/** A removed or deleted version: the 410 page's facts. */
export interface GoneView {
  gone: true;
  name: string;
  version: string;
  how: "removed" | "deleted";
  reason: string;
  at: string;
  latest: string | null;
}

/**
 * The package page of `version` (null: the latest). The version list comes first (it says
 * whether the package exists, and which version is the latest); then the version's record,
 * its advisories, owners and the pipeline's results (the dependents those `limit` lets the
 * reader see, in private mode), in parallel.
 */
export async function loadPackage(
  env: Env,
  ctx: Ctx,
  sources: WebSources,
  pkg: string,
  version: string | null,
  limit: PackageLimit,
): Promise<PackagePageView | GoneView> {
  const reader = new PackageReader(env, ctx);
  const [list, pinnedRecord] = await Promise.all([
    reader.versionList(pkg).then((l) => withAdvisoryFlags(env, l)),
    version === null ? Promise.resolve(null) : reader.version(pkg, version),
  ]);
  const target = version ?? list.latest ?? fallbackVersion(list.versions);
  if (target === null) throw new RegistryError("package_not_found", `package ${pkg} has no version to show`);
  const record: VersionRecord = pinnedRecord ?? (await reader.version(pkg, target));
  const gone = record.removed ?? record.deleted;
  if (gone)
    return {
      gone: true,
      name: pkg,
      version: record.version,
      how: record.removed ? "removed" : "deleted",
      reason: gone.reason,
      at: gone.at,
      latest: list.latest,
    };
  const [advisories, owners, readmeHtml, files, dependents] = await Promise.all([
    advisoriesOfVersion(env, pkg, record.version),
    new Packages(env).owners(pkg),
    sources.insights.readmeHtml(record),
    sources.insights.files(record),
    sources.insights.dependents(pkg, DEPENDENTS_SHOWN, limit),
  ]);
  return {
    meta: metadataDocument(record, advisories),
    list,
    owners,
    readmeHtml,
    files,
    dependents,
    pinned: version !== null,
  };
}

/** With no latest (every version yanked, removed or deleted): the highest yanked one, else the highest. */
function fallbackVersion(versions: readonly { version: string; removed: boolean; deleted: boolean }[]): string | null {
  const sorted = [...versions].sort((a, b) => compareVersions(b.version, a.version));
  return (sorted.find((v) => !v.removed && !v.deleted) ?? sorted[0])?.version ?? null;
}

/** The packages published last (a bounded read of the search index), with their advisories. */
export async function loadRecent(env: Env, limitedTo: string[] | null): Promise<PackageItem[]> {
  return withAdvisoryCounts(env, await new Search(env).recent(HOME_RECENT, limitedTo));
}

/** One page of search results (pages past the index's offset limit are refused as the API does). */
export async function loadSearch(env: Env, q: string, page: number, limitedTo: string[] | null): Promise<SearchView> {
  const lastPage = Math.floor(SEARCH_LIMITS.maxOffset / SEARCH_PAGE_SIZE) + 1;
  if (page > lastPage)
    throw new RegistryError("bad_request", `search results go up to page ${lastPage}; refine the query instead`);
  const found = await new Search(env).search(q, SEARCH_PAGE_SIZE, (page - 1) * SEARCH_PAGE_SIZE, limitedTo);
  return {
    query: q,
    total: found.total,
    page,
    pageSize: SEARCH_PAGE_SIZE,
    lastPage,
    items: await withAdvisoryCounts(env, found.results),
  };
}

/** A scope's members and one page of its listed packages; not_found for a scope nobody published under. */
export async function loadScope(env: Env, scope: string, page: number): Promise<ScopeView> {
  await requireLoggedScope(env, scope);
  const [members, listed] = await Promise.all([
    new Scopes(env).listMembers(scope),
    new Search(env).inScope(scope, SCOPE_PAGE_SIZE, (page - 1) * SCOPE_PAGE_SIZE),
  ]);
  if (members.length === 0)
    throw new RegistryError("not_found", `scope ${scope} does not exist (nobody has published under it)`);
  return {
    scope,
    members,
    total: listed.total,
    page,
    pageSize: SCOPE_PAGE_SIZE,
    packages: await withAdvisoryCounts(env, listed.packages),
  };
}

/** Each listed package with the number of advisories affecting its listed version (KV, in parallel). */
async function withAdvisoryCounts(env: Env, docs: readonly (SearchDocument | SearchHit)[]): Promise<PackageItem[]> {
  const counts = await Promise.all(docs.map((d) => advisoriesOfVersion(env, d.name, d.version)));
  return docs.map((d, i) => ({
    name: d.name,
    version: d.version,
    description: d.description,
    keywords: d.keywords,
    deprecated: d.deprecated,
    advisories: counts[i]!.length,
    publishedAt: "updatedAt" in d ? d.updatedAt : undefined,
  }));
}
