// The web UI's routes: server-rendered pages on the same Worker as the API, reading through the
// same services (load.ts). Each route's first handler is its access declaration, as every API
// route's is (`declare(access.*())`, docs/access.md): private mode and package limits are
// checked on the route that matched, and an undeclared route stops the app from building.
import { Hono, type Context, type Handler } from "hono";
import type { AppEnv } from "../env";
import { access, type RouteAccess } from "../api/contract";
import { packageOf } from "../api/params";
import { LIST_LIMITS } from "../advisories/list-request";
import { RegistryError } from "../domain/errors";
import { parsePackageName, parseScope } from "../domain/names";
import { SEARCH_LIMITS } from "../domain/search";
import { parseVersion } from "../domain/versions";
import { readerLimit } from "../http/advisory-access";
import { declare } from "../http/middleware/route-access";
import { nameRoute } from "../http/implement";
import { isPrivate } from "../http/middleware/private-mode";
import { findAdvisory, listAdvisories } from "../services/advisory-service";
import { loadPackage, loadRecent, loadScope, loadSearch } from "./load";
import { advisoryUrl } from "./links";
import { renderReadme } from "../processing/readme-html";
import { AdvisoryListPage, AdvisoryPage } from "./pages/advisory-pages";
import { DocsPage } from "./pages/docs-page";
import { GonePage } from "./pages/error-pages";
import { HomePage } from "./pages/home-page";
import { PackagePage } from "./pages/package-page";
import { ScopePage } from "./pages/scope-page";
import { SearchPage } from "./pages/search-page";
import { StatusPage } from "./pages/status-page";
import { page } from "./respond";
import { signIn, signInForm, signOut } from "./sign-in";
import { CACHE } from "./security";
import { webSources } from "./sources";
import { STATIC_ASSETS, type StaticAsset } from "./static-assets";

export const webRoutes = new Hono<AppEnv>();

/** A page: its access declaration first, named by its template (`/packages/{scope}/{name}`) for the request log. */
function on(method: "GET" | "POST", path: string, policy: RouteAccess, handler: Handler<AppEnv>): void {
  const guard = declare(policy);
  nameRoute(guard, path.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}"));
  webRoutes.on(method, path, guard, handler);
}

function get(path: string, policy: RouteAccess, handler: Handler<AppEnv>): void {
  on("GET", path, policy, handler);
}

/** The package limit of a reader in private mode (null: every package), as the API applies it. */
function limitedTo(c: Context<AppEnv>): string[] | null {
  const principal = c.get("principal");
  return isPrivate(c) && principal?.packages ? principal.packages : null;
}

/** `?page=N`: a whole number from 1. */
function pageNumber(c: Context<AppEnv>): number {
  const raw = c.req.query("page");
  if (raw === undefined || raw === "") return 1;
  if (!/^[1-9][0-9]{0,5}$/.test(raw)) throw new RegistryError("bad_request", "page is a whole number from 1");
  return Number(raw);
}

get("/", access.read(), async (c) =>
  page(
    c,
    { title: "Ori packages", section: "home", headerSearch: false },
    <HomePage recent={await loadRecent(c.env, limitedTo(c))} />,
  ),
);

get("/search", access.read(), async (c) => {
  const q = (c.req.query("q") ?? "").trim();
  if (q.length > SEARCH_LIMITS.maxQuery)
    throw new RegistryError("bad_request", `a search is at most ${SEARCH_LIMITS.maxQuery} characters`);
  const view = q === "" ? null : await loadSearch(c.env, q, pageNumber(c), limitedTo(c));
  return page(c, { title: q ? `Search: ${q}` : "Search", section: "search", query: q }, <SearchPage view={view} />);
});

async function packagePage(c: Context<AppEnv>, version: string | null): Promise<Response> {
  const pkg = packageOf({ scope: c.req.param("scope") ?? "", name: c.req.param("name") ?? "" });
  if (version !== null) parseVersion(version);
  const view = await loadPackage(c.env, c.executionCtx, webSources(c.env), pkg, version, readerLimit(c));
  if ("gone" in view) return page(c, { title: `${view.name} ${view.version} is gone` }, <GonePage {...view} />, 410);
  return page(
    c,
    { title: `${view.meta.name} ${view.meta.version}`, description: view.meta.description.slice(0, 300) },
    <PackagePage view={view} allVersions={c.req.query("versions") === "all"} />,
  );
}

get("/packages/:scope/:name", access.read("package"), (c) => packagePage(c, null));
get("/packages/:scope/:name/:version", access.read("package"), (c) => packagePage(c, c.req.param("version") ?? ""));

get("/:scope{@[^/]+}", access.read("scope"), async (c) => {
  const scope = parseScope(c.req.param("scope") ?? "").full;
  const view = await loadScope(c.env, scope, pageNumber(c));
  return page(c, { title: scope }, <ScopePage view={view} />);
});

get("/advisories", access.read(), async (c) => {
  const raw = c.req.query("package");
  const pkg = raw === undefined || raw === "" ? null : parsePackageName(raw).full;
  const token = c.req.query("page") ?? null;
  const list = await listAdvisories(
    c.env,
    { package: pkg, version: null, includeWithdrawn: true, limit: Math.min(25, LIST_LIMITS.max), pageToken: token },
    readerLimit(c),
  );
  return page(
    c,
    { title: pkg ? `Advisories for ${pkg}` : "Advisories", section: "advisories" },
    <AdvisoryListPage
      view={{
        package: pkg,
        advisories: list.advisories,
        nextPage: list.next_page_token ?? null,
        paged: token !== null,
      }}
    />,
  );
});

get("/advisories/:id", access.read(), async (c) => {
  const id = c.req.param("id") ?? "";
  const record = await findAdvisory(c.env, id, readerLimit(c));
  // An alias (CVE-…, GHSA-…) finds its record: the page lives at the record's own id.
  if (record.id !== id) return c.redirect(advisoryUrl(record.id), 302);
  return page(
    c,
    { title: record.id, description: record.summary, section: "advisories" },
    <AdvisoryPage record={record} detailsHtml={record.details ? renderReadme(record.details).html : null} />,
  );
});

get("/status", access.read(), async (c) => {
  const view = await webSources(c.env).status.status(Date.now());
  return page(
    c,
    { title: "Status", section: "status" },
    <StatusPage view={view} />,
    200,
    isPrivate(c) ? CACHE.private : "public, max-age=30",
  );
});

get("/docs", access.read(), (c) =>
  page(
    c,
    { title: "Documentation", section: "docs" },
    <DocsPage origin={new URL(c.req.url).origin} privateMode={isPrivate(c)} />,
  ),
);

// Private mode's sign-in (a public registry has no accounts on the web: 404 there).
get("/sign-in", access.anyone(), (c) => {
  if (!isPrivate(c))
    throw new RegistryError("route_not_found", "this registry is public: there is nothing to sign in to");
  if (c.get("principal")) return c.redirect("/", 303);
  return signInForm(c);
});
on("POST", "/sign-in", access.anyone(), (c) => {
  if (!isPrivate(c))
    throw new RegistryError("route_not_found", "this registry is public: there is nothing to sign in to");
  return signIn(c);
});
on("POST", "/sign-out", access.anyone(), (c) => signOut(c));

const ASSETS_BY_PATH = new Map<string, StaticAsset>(Object.values(STATIC_ASSETS).map((a) => [a.path, a]));

get("/static/:file", access.anyone(), (c) => {
  const asset = ASSETS_BY_PATH.get(c.req.path);
  if (!asset) throw new RegistryError("not_found", "no such static file (its name changes with its content)");
  return c.body(asset.body, 200, { "Content-Type": asset.contentType, "Cache-Control": CACHE.immutable });
});
