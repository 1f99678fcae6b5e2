// The web UI's components rendered to strings: user text is escaped wherever it lands, links to
// user-given URLs are http(s) only and marked, and each component shows what its data says.
import { describe, expect, it } from "vitest";
import type { VersionList, VersionMetadata } from "../api/shapes";
import { ExternalLink, FlagBadges, USER_LINK_REL } from "./components/bits";
import { Install, installLine } from "./components/install";
import { Layout } from "./components/layout";
import { chartPoints, LatencyChart } from "./components/latency-chart";
import { PackageList } from "./components/package-list";
import { nestHeadings, Readme } from "./components/readme";
import { AdvisoryPage } from "./pages/advisory-pages";
import { GonePage } from "./pages/error-pages";
import { PackagePage, type PackagePageView } from "./pages/package-page";
import { STATIC_ASSETS } from "./static-assets";
import { renderReadme } from "../processing/readme-html";

const HOSTILE = `<script>alert(1)</script><img src=x onerror=alert(2)>"'&`;
const ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#39;&amp;";

const html = (node: unknown) => String(node);

function meta(over: Partial<VersionMetadata> = {}): VersionMetadata {
  return {
    name: "@acme/http",
    version: "1.1.0",
    description: "HTTP client",
    license: "MIT",
    authors: ["Alice <alice@example.com>"],
    repository: "https://example.com/acme/http",
    homepage: null,
    documentation: null,
    funding: null,
    keywords: ["http"],
    categories: [],
    edition: null,
    ori: "0.5.0",
    entry: { lib: null, main: null },
    dependencies: [{ name: "@acme/json", version: "1.0.1", features: [], defaultFeatures: true }],
    devDependencies: [],
    stdDependencies: [{ name: "std.json", version: null }],
    devStdDependencies: [],
    features: {},
    prerelease: false,
    sha256: "ab".repeat(32),
    size: 1834,
    publishedAt: "2026-11-28T12:00:00.000Z",
    publishedBy: "alice",
    logIndex: 41,
    yanked: false,
    deprecated: null,
    removed: null,
    deleted: null,
    readme: "# hello",
    advisories: [],
    processing: null,
    scan: null,
    dependencyAdvisories: [],
    ...over,
  };
}

const summary = (version: string, over: Partial<VersionList["versions"][number]> = {}) => ({
  version,
  sha256: "cd".repeat(32),
  size: 100,
  publishedAt: "2026-11-28T12:00:00.000Z",
  logIndex: 1,
  yanked: false,
  deprecated: null,
  removed: false,
  deleted: false,
  advisories: [],
  ...over,
});

function view(over: Partial<PackagePageView> = {}, metaOver: Partial<VersionMetadata> = {}): PackagePageView {
  return {
    meta: meta(metaOver),
    list: {
      name: "@acme/http",
      latest: "1.1.0",
      versions: [summary("1.0.0"), summary("0.9.0", { yanked: true }), summary("1.1.0"), summary("1.2.0-beta.1")],
    },
    owners: ["alice"],
    readmeHtml: null,
    files: null,
    dependents: { dependents: [], more: false },
    pinned: false,
    ...over,
  };
}

describe("escaping", () => {
  it("escapes every piece of user text on the package page", () => {
    const out = html(
      PackagePage({
        view: view(
          { owners: [HOSTILE] },
          {
            description: HOSTILE,
            license: HOSTILE,
            authors: [HOSTILE],
            deprecated: HOSTILE,
            readme: HOSTILE,
            keywords: [HOSTILE],
            publishedBy: HOSTILE,
          },
        ),
      }),
    );
    expect(out).not.toContain("<script>");
    expect(out).not.toContain("<img src=x");
    expect(out.split(ESCAPED).length - 1).toBeGreaterThanOrEqual(7);
  });

  it("escapes the title, search text and list fields", () => {
    const out = html(
      Layout({
        title: HOSTILE,
        query: HOSTILE,
        children: PackageList({
          items: [
            {
              name: "@acme/x",
              version: "1.0.0",
              description: HOSTILE,
              keywords: [HOSTILE],
              deprecated: HOSTILE,
              advisories: 0,
            },
          ],
        }),
      }),
    );
    expect(out).not.toContain("<script>");
    expect(out).toContain(`<title>${ESCAPED} · Ori packages</title>`);
    expect(out).toContain(`value="${ESCAPED}"`);
  });

  it("escapes a removal reason and an advisory's text", () => {
    const gone = html(
      GonePage({
        name: "@acme/x",
        version: "1.0.0",
        how: "removed",
        reason: HOSTILE,
        at: "2026-11-28T12:00:00.000Z",
        latest: null,
      }),
    );
    expect(gone).not.toContain("<script>");
    expect(gone).toContain(ESCAPED);
    const advisory = html(
      AdvisoryPage({
        record: {
          id: "ORI-2026-0001",
          modified: "2026-11-28T12:00:00Z",
          summary: HOSTILE,
          details: HOSTILE,
          aliases: [HOSTILE],
          affected: [{ package: { ecosystem: "Ori", name: "@acme/x" }, versions: [HOSTILE] }],
          credits: [{ name: HOSTILE }],
          references: [{ type: "WEB", url: "javascript:alert(1)" }],
        },
        detailsHtml: null,
      }),
    );
    expect(advisory).not.toContain("<script>");
    expect(advisory).not.toContain('href="javascript:');
    expect(advisory).toContain(`<pre class="readme-text">${ESCAPED}</pre>`);
  });

  it("shows an advisory's details as the sanitizer's HTML", () => {
    const details = `Upgrade **now**.\n\n${HOSTILE}\n\n[x](javascript:alert(3))`;
    const out = html(
      AdvisoryPage({
        record: { id: "ORI-2026-0002", modified: "2026-11-28T12:00:00Z", details },
        detailsHtml: renderReadme(details).html,
      }),
    );
    expect(out).toContain("<strong>now</strong>");
    expect(out).not.toMatch(/<script|onerror|javascript:/);
  });
});

describe("ExternalLink", () => {
  it("links http(s) URLs with rel=nofollow ugc noopener", () => {
    expect(html(ExternalLink({ href: "https://example.com/a?b=1&c=2" }))).toBe(
      `<a href="https://example.com/a?b=1&amp;c=2" rel="${USER_LINK_REL}">https://example.com/a?b=1&amp;c=2</a>`,
    );
    expect(html(ExternalLink({ href: "http://example.com/" }))).toContain('href="http://example.com/"');
  });

  it("shows anything else as text, never a link", () => {
    for (const bad of [
      "javascript:alert(1)",
      " JavaScript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "vbscript:x",
      "//evil.example/",
      "/relative",
      "https://user:pass@example.com/",
      "not a url",
    ]) {
      const out = html(ExternalLink({ href: bad }));
      expect(out, bad).not.toContain("<a");
      expect(out, bad).not.toContain("<script>");
    }
  });
});

describe("the package page", () => {
  it("lists versions newest first, with yanked ones behind a <details> toggle", () => {
    const out = html(PackagePage({ view: view() }));
    const order = ["1.2.0-beta.1", "1.1.0", "1.0.0"].map((v) => out.indexOf(`>${v}</a>`));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const details = out.slice(out.indexOf("<details>"), out.indexOf("</details>"));
    expect(details).toContain("1 yanked version");
    expect(details).toContain(">0.9.0</a>");
    expect(out.slice(0, out.indexOf("<details>"))).not.toContain(">0.9.0</a>");
    expect(out).toContain('class="badge prerelease"');
  });

  it("has the install line and its copy button (shown by the script), and links the dependencies", () => {
    const out = html(PackagePage({ view: view() }));
    expect(installLine("@acme/http", "1.1.0")).toBe('@acme/http = "1.1.0"');
    expect(out).toContain('<span id="install-line">@acme/http = &quot;1.1.0&quot;</span>');
    expect(out).toContain('data-copy="install-line" hidden=""');
    expect(out).toContain('href="/packages/@acme/json/1.0.1"');
    expect(out).toContain('href="/v1/log/lookup/@acme/http/1.1.0"');
    expect(out).toContain(`rel="${USER_LINK_REL}"`);
  });

  it("shows the advisories affecting the version, with the fix", () => {
    const out = html(
      PackagePage({
        view: view(
          {},
          {
            advisories: [
              {
                id: "ORI-2026-0007",
                summary: "Stack exhaustion",
                aliases: [],
                severity: [{ type: "CVSS_V3", vector: "CVSS:3.1/AV:N", baseScore: 7.5, baseSeverity: "HIGH" }],
                fixedIn: "1.1.1",
                modified: "2026-11-28T12:00:00Z",
                withdrawn: null,
              },
            ],
          },
        ),
      }),
    );
    expect(out).toContain('href="/advisories/ORI-2026-0007"');
    expect(out).toContain("HIGH 7.5");
    expect(out).toContain('href="/packages/@acme/http/1.1.1"');
  });

  it("cuts a long version list, and links to all of it", () => {
    const versions = Array.from({ length: 150 }, (_, i) => summary(`1.0.${i}`));
    const out = html(PackagePage({ view: view({ list: { name: "@acme/http", latest: "1.0.149", versions } }) }));
    expect(out).toContain(">1.0.149</a>");
    expect(out).not.toContain(">1.0.0</a>");
    expect(out).toContain("?versions=all");
    expect(
      html(
        PackagePage({ view: view({ list: { name: "@acme/http", latest: "1.0.149", versions } }), allVersions: true }),
      ),
    ).toContain(">1.0.0</a>");
  });
});

describe("the package page's files", () => {
  it("links each file to its bytes, lists at most 200, and links the whole index", () => {
    const files = Array.from({ length: 250 }, (_, i) => ({
      path: `src/dir ${i}/<f>.ori`,
      size: i,
      sha256: "0".repeat(64),
    }));
    const out = html(PackagePage({ view: view({ files }) }));
    expect(out).toContain("Files (250)");
    expect(out).toContain('href="/v1/packages/@acme/http/1.1.0/files/src/dir%200/%3Cf%3E.ori"');
    expect(out).toContain("<code>src/dir 0/&lt;f&gt;.ori</code>");
    expect(out).toContain("src/dir 199/");
    expect(out).not.toContain("src/dir 200/");
    expect(out).toContain("And 50 more");
    expect(out).toContain('href="/v1/packages/@acme/http/1.1.0/files"');
    expect(html(PackagePage({ view: view({ files: null }) }))).toContain("once this version has been processed");
  });
});

describe("Readme", () => {
  it("moves the sanitizer's headings under the page's own (h1 → h3, never past h6), tag names only", () => {
    expect(nestHeadings('<h1 id="user-content-a">A</h1><h2>B</h2><h5>C</h5><h6>D</h6><hr><p title="<h1>">x</p>')).toBe(
      '<h3 id="user-content-a">A</h3><h4>B</h4><h6>C</h6><h6>D</h6><hr><p title="<h3>">x</p>',
    );
    expect(html(Readme({ html: "<h1>Title</h1>", markdown: "# Title" }))).toBe(
      '<div class="readme"><h3>Title</h3></div>',
    );
  });

  it("shows the Markdown as escaped text until the pipeline's sanitized HTML exists", () => {
    expect(html(Readme({ html: null, markdown: HOSTILE }))).toBe(
      `<div class="readme"><pre class="readme-text">${ESCAPED}</pre></div>`,
    );
    expect(html(Readme({ html: "<p>sanitized</p>", markdown: HOSTILE }))).toBe(
      '<div class="readme"><p>sanitized</p></div>',
    );
    expect(html(Readme({ html: null, markdown: null }))).toContain("no README");
  });
});

describe("FlagBadges", () => {
  it("shows each flag of a version, and nothing for a plain one", () => {
    expect(FlagBadges({ flags: {} })).toBeNull();
    const out = html(
      FlagBadges({ flags: { yanked: true, deprecated: "old", removed: true, prerelease: true, advisories: 2 } }),
    );
    for (const label of ["yanked", "deprecated", "removed", "pre-release", "2 advisories"])
      expect(out).toContain(label);
  });
});

describe("Install", () => {
  it("labels its section and announces the copy result politely", () => {
    const out = html(Install({ name: "@acme/x", version: "2.0.0-rc.1" }));
    expect(out).toContain('aria-labelledby="install-heading"');
    expect(out).toContain('role="status" aria-live="polite"');
  });
});

describe("LatencyChart", () => {
  const now = Date.UTC(2026, 10, 28, 12);
  const hour = 3600_000;
  it("places one point per measured hour, failed hours marked, on a round scale", () => {
    const points = [
      { at: now - 30 * hour, probes: 60, failures: 0, p50Ms: 999 },
      { at: now - 2 * hour, probes: 60, failures: 0, p50Ms: 12 },
      { at: now - hour, probes: 60, failures: 3, p50Ms: 40 },
      { at: now - hour / 2, probes: 0, failures: 0, p50Ms: null },
    ];
    const chart = chartPoints(points, now);
    expect(chart.top).toBe(50);
    expect(chart.dots.map((d) => d.failed)).toEqual([false, true]);
    expect(chart.dots[0]!.x).toBeLessThan(chart.dots[1]!.x);
    expect(chart.dots[1]!.y).toBeLessThan(chart.dots[0]!.y);
    const svg = html(LatencyChart({ endpoint: "versions", points, now }));
    expect(svg).toContain('role="img"');
    expect(svg).toContain("<title");
    expect(svg).toContain('class="fail"');
    expect(svg).not.toContain("style=");
  });
});

describe("Layout", () => {
  it("loads only the hashed stylesheet and script, each with its SRI digest", () => {
    const out = html(Layout({ title: "x" }));
    expect(out).toContain(
      `<link rel="stylesheet" href="${STATIC_ASSETS.css.path}" integrity="${STATIC_ASSETS.css.sri}"/>`,
    );
    expect(out).toContain(
      `<script src="${STATIC_ASSETS.js.path}" integrity="${STATIC_ASSETS.js.sri}" defer=""></script>`,
    );
    expect(out).not.toMatch(/<script>|style="/);
    expect(out).toContain('<label class="visually-hidden" for="search-input">Search packages</label>');
  });

  it("leaves the search box and the sections off private mode's sign-in page (each would answer it again)", () => {
    const full = html(Layout({ title: "x" }));
    expect(full).toContain('role="search"');
    expect(full).toContain('aria-label="Site"');
    const bare = html(Layout({ title: "Sign in", bare: true }));
    expect(bare).not.toContain('role="search"');
    expect(bare).not.toContain('aria-label="Site"');
    expect(bare).toContain('class="skip-link"');
  });
});
