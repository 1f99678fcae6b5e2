// The registry the browser tests look at, published through the real API of a running server:
// packages with versions in every state (latest, pre-release, yanked, deprecated, removed),
// dependencies and dev-dependencies pinned by their real checksums, an advisory with a fix, and
// a package whose README, description and links are hostile.
import { buildArchive } from "../helpers/archive-builder";
import { sha256Hex } from "../../src/util/bytes";

export const HOSTILE_README = [
  "# Totally normal package",
  "",
  "<script>window.__pwned = 'script'; alert('script')</script>",
  "",
  "<img src=\"x\" onerror=\"window.__pwned = 'onerror'; alert('onerror')\">",
  "",
  "[click me](javascript:window.__pwned='link';alert('link'))",
  "",
  '<a href="javascript:alert(1)" onclick="alert(2)">raw link</a>',
  "",
  '<iframe src="https://example.com/"></iframe><style>body{display:none}</style>',
  '<div onmouseover="alert(3)" style="position:fixed;inset:0">hover</div>',
  "",
].join("\n");

export interface Fixture {
  name: string;
  version: string;
  sha256: string;
}

interface PublishOpts {
  name: string;
  version: string;
  description?: string;
  readme?: string;
  extra?: string[];
  dependencies?: Fixture[];
  devDependencies?: Fixture[];
}

function manifest(o: PublishOpts): string {
  const table = (header: string, deps: Fixture[] = []) =>
    deps.length ? [`[${header}]`, ...deps.map((d) => `${d.name} = "${d.version}"`), ""] : [];
  return [
    "[project]",
    `name = "${o.name}"`,
    `version = "${o.version}"`,
    `description = ${JSON.stringify(o.description ?? `The ${o.name.split("/")[1]} package`)}`,
    ...(o.extra ?? ['license = "MIT"', 'repository = "https://example.com/acme/repo"']),
    'ori = "0.5.0"',
    "",
    ...table("dependencies", o.dependencies),
    ...table("dev-dependencies", o.devDependencies),
  ].join("\n");
}

export class Seeder {
  constructor(
    readonly url: string,
    private readonly token: string,
  ) {}

  async publish(o: PublishOpts): Promise<Fixture> {
    const archive = await buildArchive({
      name: o.name,
      version: o.version,
      manifest: manifest(o),
      lockEntries: [...(o.dependencies ?? []), ...(o.devDependencies ?? [])],
      files: { "README.md": o.readme ?? `# ${o.name}\n\nThe ${o.name} package, version ${o.version}.\n` },
    });
    const res = await fetch(`${this.url}/v1/packages/${o.name}/publish`, {
      method: "POST",
      headers: { authorization: `Bearer ${this.token}`, "content-type": "application/gzip" },
      body: archive as Uint8Array<ArrayBuffer>,
    });
    if (res.status !== 201) throw new Error(`publish ${o.name} ${o.version}: ${res.status} ${await res.text()}`);
    return { name: o.name, version: o.version, sha256: await sha256Hex(archive) };
  }

  async post(path: string, body: unknown, method = "POST"): Promise<unknown> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  }

  /** Waits until the version is processed (the queue's process-version job has run: its README HTML is served). */
  async processed(name: string, version: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await fetch(`${this.url}/v1/packages/${name}/${version}/readme`, {
        headers: { authorization: `Bearer ${this.token}` },
      });
      await res.arrayBuffer();
      if (res.status === 200) return;
      if (res.status !== 409 || Date.now() > deadline)
        throw new Error(`${name} ${version} was not processed: ${res.status}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Waits until search finds the package (the queue's reindex job has run). */
  async searchable(q: string, name: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await fetch(`${this.url}/v1/search?q=${encodeURIComponent(q)}`, {
        headers: { authorization: `Bearer ${this.token}` },
      });
      const found = (await res.json()) as { results?: { name: string }[] };
      if (found.results?.some((r) => r.name === name)) return;
      if (Date.now() > deadline) throw new Error(`search never found ${name}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Publishes the fixture registry; answers what the tests look for. */
export async function seedWebFixtures(s: Seeder) {
  const json100 = await s.publish({
    name: "@acme/json",
    version: "1.0.0",
    description: "Fast JSON parsing and printing",
    extra: ['license = "MIT"', 'keywords = ["json", "parser"]', 'repository = "https://example.com/acme/json"'],
  });
  const json101 = await s.publish({
    name: "@acme/json",
    version: "1.0.1",
    description: "Fast JSON parsing and printing",
    extra: ['license = "MIT"', 'keywords = ["json", "parser"]', 'repository = "https://example.com/acme/json"'],
  });
  const testkit = await s.publish({ name: "@acme/testkit", version: "1.0.0", description: "Test helpers" });
  const httpExtra = [
    'license = "Apache-2.0"',
    'authors = ["Alice Example <alice@example.com>", "Bob <bob@example.org>"]',
    'repository = "https://example.com/acme/http"',
    'homepage = "https://acme.example/http"',
    'funding = "https://example.com/sponsors/acme"',
    'keywords = ["http", "web", "client"]',
    'categories = ["networking"]',
    'edition = "2026"',
  ];
  const readme = [
    "# @acme/http",
    "",
    "An HTTP client and server for Ori.",
    "",
    "```ori",
    'let res = http.get("https://example.com")',
    "```",
    "",
  ].join("\n");
  await s.publish({ name: "@acme/http", version: "0.9.0", description: "HTTP client and server", extra: httpExtra });
  await s.publish({
    name: "@acme/http",
    version: "1.0.0",
    description: "HTTP client and server",
    extra: httpExtra,
    readme,
    dependencies: [json100],
  });
  const http = await s.publish({
    name: "@acme/http",
    version: "1.1.0",
    description: "HTTP client and server",
    extra: httpExtra,
    readme,
    dependencies: [json101],
    devDependencies: [testkit],
  });
  await s.publish({
    name: "@acme/http",
    version: "2.0.0-beta.1",
    description: "HTTP client and server",
    extra: httpExtra,
    readme,
    dependencies: [json101],
  });
  await s.post("/v1/packages/@acme/http/0.9.0/yank", {});
  await s.post("/v1/packages/@acme/http/1.0.0/deprecate", { message: "use 1.1.0: 1.0.0 mishandles chunked bodies" });

  const old = await s.publish({ name: "@acme/old", version: "1.0.0", description: "An old package" });
  await s.post("/v1/packages/@acme/old/1.0.0/remove", { reason: "it shipped a credential stealer" });
  const oldNext = await s.publish({ name: "@acme/old", version: "1.0.1", description: "An old package, cleaned" });

  const hostile = await s.publish({
    name: "@evil/readme",
    version: "1.0.0",
    description: "<img src=x onerror=alert('description')> totally <b>normal</b>",
    readme: HOSTILE_README,
    extra: ['license = "MIT"', 'repository = "https://evil.example/repo"', 'homepage = "https://evil.example/"'],
  });

  const advisory = (await s.post("/v1/advisories", {
    summary: "Deeply nested arrays exhaust the stack",
    details: "Parsing `[[[[…]]]]` 100,000 levels deep crashes the parser.\n\nUpgrade to 1.0.1.",
    aliases: ["CVE-2026-12345"],
    severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H" }],
    affected: [
      {
        package: { ecosystem: "Ori", name: "@acme/json" },
        ranges: [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "1.0.1" }] }],
      },
    ],
    references: [{ type: "ADVISORY", url: "https://example.com/advisories/json-stack" }],
  })) as { id: string };

  await s.processed("@evil/readme", "1.0.0");
  await s.processed("@acme/http", http.version);
  await s.searchable("http", "@acme/http");
  await s.searchable("readme", "@evil/readme");
  await s.searchable("json", "@acme/json");
  await s.searchable("old", "@acme/old");
  return { http, json100, json101, testkit, old, oldNext, hostile, advisoryId: advisory.id };
}
