// The web UI inside workerd (SELF.fetch through the whole app): each page kind answers HTML with
// the security headers, user text escaped; removed versions answer 410 with the reason; unknown
// pages and packages a helpful 404 page, while /v1 keeps its JSON; static files are immutable.
import { describe, expect, it } from "vitest";
import { buildArchive } from "../helpers/archive-builder";
import { CONTENT_SECURITY_POLICY } from "../../src/web/security";
import { STATIC_ASSETS } from "../../src/web/static-assets";
import { ADMIN, call, publish } from "./helpers";
import { json } from "./access-helpers";

const HOSTILE = "<script>alert(1)</script>";

function manifest(name: string, version: string, description = "A web test package"): string {
  return [
    "[project]",
    `name = "${name}"`,
    `version = "${version}"`,
    `description = ${JSON.stringify(description)}`,
    'license = "MIT"',
    'repository = "https://example.com/repo"',
    'keywords = ["webpagestest"]',
    'ori = "0.5.0"',
    "",
  ].join("\n");
}

async function published(name: string, version: string, opts: { description?: string; readme?: string } = {}) {
  const res = await publish(
    name,
    await buildArchive({
      name,
      version,
      manifest: manifest(name, version, opts.description),
      files: { "README.md": opts.readme ?? `# ${name}\n` },
    }),
  );
  expect(res.status, await res.clone().text()).toBe(201);
}

async function page(path: string, init?: RequestInit): Promise<{ res: Response; html: string }> {
  const res = await call(path, init);
  return { res, html: await res.text() };
}

function expectSecurityHeaders(res: Response): void {
  expect(res.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("referrer-policy")).toBe("same-origin");
  expect(res.headers.get("x-frame-options")).toBe("DENY");
}

describe("web pages", () => {
  it("GET / answers the home page with the strict CSP", async () => {
    const { res, html } = await page("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html; charset=utf-8/i);
    expectSecurityHeaders(res);
    expect(CONTENT_SECURITY_POLICY).toContain(`script-src '${STATIC_ASSETS.js.sri}'`);
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("unsafe-inline");
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain('id="search-input"');
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(res.headers.get("x-ratelimit-limit")).toBeTruthy();
  });

  it("GET /packages/@scope/name shows the latest version, escaping the author's text", async () => {
    await published("@webpages/esc", "1.0.0", { description: `evil ${HOSTILE}`, readme: `# hi\n${HOSTILE}\n` });
    await published("@webpages/esc", "1.1.0", { description: `evil ${HOSTILE}`, readme: `# hi\n${HOSTILE}\n` });
    const { res, html } = await page("/packages/@webpages/esc");
    expect(res.status).toBe(200);
    expectSecurityHeaders(res);
    expect(res.headers.get("cache-control")).toBe("public, max-age=60");
    expect(html).not.toContain("<script>alert");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("@webpages/esc = &quot;1.1.0&quot;");
    expect(html).toContain('href="https://example.com/repo" rel="nofollow ugc noopener"');
    const pinned = await page("/packages/@webpages/esc/1.0.0");
    expect(pinned.res.status).toBe(200);
    expect(pinned.html).toContain("@webpages/esc = &quot;1.0.0&quot;");
    expect(pinned.html).toContain('The latest version is <a href="/packages/@webpages/esc/1.1.0">1.1.0</a>');
  });

  it("GET a removed version answers 410 with the administrator's reason", async () => {
    await published("@webpages/gone", "1.0.0");
    await published("@webpages/gone", "1.0.1");
    const removed = await json("POST", "/v1/packages/@webpages/gone/1.0.0/remove", ADMIN, {
      reason: `malware ${HOSTILE}`,
    });
    expect(removed.status).toBe(200);
    const { res, html } = await page("/packages/@webpages/gone/1.0.0");
    expect(res.status).toBe(410);
    expectSecurityHeaders(res);
    expect(html).toContain("is gone");
    expect(html).toContain("malware &lt;script&gt;");
    expect(html).toContain('href="/packages/@webpages/gone/1.0.1"');
  });

  it("answers a helpful 404 page for unknown packages, versions and paths, and JSON under /v1", async () => {
    for (const path of [
      "/packages/@webpages/nothing-here",
      "/packages/@webpages/esc/9.9.9",
      "/no/such/page",
      "/@nobody-published",
    ]) {
      const { res, html } = await page(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type"), path).toMatch(/^text\/html/);
      expectSecurityHeaders(res);
      expect(html, path).toContain("Not found");
      expect(html, path).toContain('action="/search"');
    }
    const api = await call("/v1/no-such-route");
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("route_not_found");
  });

  it("answers a bad name or version as a 400 page that says the rule", async () => {
    const bad = await page("/packages/@WebPages/x");
    expect(bad.res.status).toBe(400);
    expect(bad.html).toContain("invalid_name");
    const version = await page("/packages/@webpages/esc/01.0.0");
    expect(version.res.status).toBe(400);
    expect(version.html).toContain("invalid_version");
  });

  it("GET /@scope lists the scope's packages and its members", async () => {
    await published("@webscope/alpha", "1.0.0");
    await published("@webscope/beta", "1.0.0");
    // The scope page lists what the search index holds: run the queue's jobs through search.
    await waitFor(async () => (await page("/@webscope")).html.includes("@webscope/beta"));
    const { res, html } = await page("/@webscope");
    expect(res.status).toBe(200);
    expect(html).toContain('href="/packages/@webscope/alpha"');
    expect(html).toContain("operator");
  });

  it("GET /search ranks the index's results and says when nothing matches", async () => {
    await published("@websearch/needle", "1.0.0", { description: "a haystackword package" });
    await waitFor(async () => (await page("/search?q=haystackword")).html.includes("@websearch/needle"));
    const { res, html } = await page("/search?q=haystackword");
    expect(res.status).toBe(200);
    expect(html).toContain("1–1 of 1 package");
    expect(html).toContain('value="haystackword"');
    expect((await page("/search?q=zzzznomatchzzzz")).html).toContain("No package matches.");
    expect((await page(`/search?q=${encodeURIComponent(HOSTILE)}`)).html).not.toContain("<script>alert");
    expect((await page("/search?q=x&page=0")).res.status).toBe(400);
    expect((await page(`/search?q=${"x".repeat(101)}`)).res.status).toBe(400);
  });

  it("GET /advisories and /advisories/{id} show the OSV record; an alias redirects to the id", async () => {
    await published("@webadv/lib", "1.0.0");
    const created = await json("POST", "/v1/advisories", ADMIN, {
      summary: `Overflow ${HOSTILE}`,
      details: `Details ${HOSTILE}`,
      aliases: ["CVE-2026-40001"],
      affected: [
        {
          package: { ecosystem: "Ori", name: "@webadv/lib" },
          ranges: [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "1.0.1" }] }],
        },
      ],
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const list = await page("/advisories?package=@webadv/lib");
    expect(list.res.status).toBe(200);
    expect(list.html).toContain(`href="/advisories/${id}"`);
    const detail = await page(`/advisories/${id}`);
    expect(detail.res.status).toBe(200);
    expect(detail.html).not.toContain("<script>alert");
    expect(detail.html).toContain("&lt; 1.0.1");
    const alias = await call("/advisories/CVE-2026-40001", { redirect: "manual" });
    expect(alias.status).toBe(302);
    expect(alias.headers.get("location")).toBe(`/advisories/${id}`);
    const flagged = await page("/packages/@webadv/lib/1.0.0");
    expect(flagged.html).toContain(`href="/advisories/${id}"`);
    expect((await page("/advisories/ORI-2099-9999")).res.status).toBe(404);
  });

  it("GET /status and /docs answer pages", async () => {
    const status = await page("/status");
    expect(status.res.status).toBe(200);
    expect(status.html).toContain("<h1>Status</h1>");
    const docs = await page("/docs");
    expect(docs.res.status).toBe(200);
    expect(docs.html).toContain('href="/v1/openapi.json"');
    expect(docs.html).toContain('id="verify"');
  });

  it("serves static files immutable under their hashed names, and only those", async () => {
    for (const asset of Object.values(STATIC_ASSETS)) {
      const res = await call(asset.path);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(res.headers.get("content-type")).toBe(asset.contentType);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(await res.text()).toBe(asset.body);
    }
    expect((await call("/static/site.0000000000000000.css")).status).toBe(404);
  });

  it("has no sign-in in a public registry", async () => {
    expect((await call("/sign-in")).status).toBe(404);
  });
});

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the queue");
    await new Promise((r) => setTimeout(r, 200));
  }
}
