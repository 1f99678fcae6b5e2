// The package page with the processing pipeline's results (docs/processing.md), inside workerd:
// the README as the sanitizer's HTML once the version is processed (the Markdown as text before),
// the files linked to their bytes, the dependents from the reverse-dependency index, the
// advisories the scan found in the dependencies, and where processing and the scan are. The
// queue's own consumer runs the jobs after each publish; the tests wait for it.
import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { VersionRecord } from "../../src/domain/package-records";
import { sampleSubmission, semverEntry } from "../../src/advisories/fixtures";
import { buildArchive } from "../helpers/archive-builder";
import { ADMIN, call, publish } from "./helpers";

const WAIT = { timeout: 20_000, interval: 100 };

const record = (pkg: string, version = "1.0.0") =>
  env.PACKAGE_WRITER.getByName(`package:${pkg}`).findVersion(version) as Promise<VersionRecord | null>;

/** Publishes pkg@1.0.0 (pinning `deps` by their logged checksums) and waits for its processing and scan. */
async function publishedAndScanned(pkg: string, opts: { readme?: string; deps?: string[] } = {}) {
  const deps = opts.deps ?? [];
  const lockEntries = await Promise.all(
    deps.map(async (d) => ({ name: d, version: "1.0.0", sha256: (await record(d))!.sha256 })),
  );
  const archive = await buildArchive({
    name: pkg,
    version: "1.0.0",
    dependencies: Object.fromEntries(deps.map((d) => [d, "1.0.0"])),
    lockEntries,
    files: { "README.md": opts.readme ?? `# ${pkg}\n`, "src/lib.ori": "fn lib() {}\n" },
  });
  const res = await publish(pkg, archive);
  expect(res.status, await res.clone().text()).toBe(201);
  await vi.waitFor(async () => {
    const r = await record(pkg);
    expect([r?.processing?.status, r?.scan?.status]).toEqual(["done", "done"]);
  }, WAIT);
}

async function page(path: string): Promise<string> {
  const res = await call(path);
  expect(res.status, path).toBe(200);
  return res.text();
}

/** The README section's HTML. */
const readmeOf = (html: string) => /<div class="readme">([\s\S]*?)<\/div><\/section>/.exec(html)?.[1] ?? "";

describe("the package page with the pipeline's results", () => {
  it("shows the README as the sanitizer's HTML, and the files linked to their bytes", async () => {
    await publishedAndScanned("@webpipe/lib", {
      readme: "# Lib\n\n**bold** <script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))\n",
    });
    const html = await page("/packages/@webpipe/lib");
    const readme = readmeOf(html);
    expect(readme).toContain("<h3>Lib</h3>"); // under the page's h1 and the README's h2
    expect(readme).toContain("<strong>bold</strong>");
    expect(readme).not.toMatch(/<script|onerror|javascript:/);
    expect(html).not.toContain('class="readme-text"');
    expect(html).toContain('<a href="/v1/packages/@webpipe/lib/1.0.0/files/src/lib.ori"><code>src/lib.ori</code></a>');
    expect(html).toMatch(/Processing \(files, README\)<\/dt><dd>done <time/);
    expect(html).toMatch(/Advisory scan<\/dt><dd>done <time/);
    // The link it gives works: the file's bytes, as text, sandboxed.
    const file = await call("/v1/packages/@webpipe/lib/1.0.0/files/src/lib.ori");
    expect(file.status).toBe(200);
    expect(await file.text()).toBe("fn lib() {}\n");
  });

  it("lists the versions that pin the package, and the advisories the scan found in the dependencies", async () => {
    await publishedAndScanned("@webpipe/base");
    const created = await call("/v1/advisories", {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
      body: JSON.stringify(
        sampleSubmission({ aliases: [], affected: [semverEntry("@webpipe/base", [{ introduced: "0" }])] }),
      ),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await publishedAndScanned("@webpipe/app", { deps: ["@webpipe/base"] });

    const base = await page("/packages/@webpipe/base");
    expect(base).toMatch(
      /<a href="\/packages\/@webpipe\/app\/1\.0\.0">@webpipe\/app<\/a> <span class="version">1\.0\.0<\/span> <span class="meta-line">pins 1\.0\.0<\/span>/,
    );
    const app = await page("/packages/@webpipe/app");
    expect(app).toContain("Advisories affecting its dependencies");
    expect(app).toContain(`<a href="/advisories/${id}">${id}</a>`);
    expect(app).toContain('<a href="/packages/@webpipe/base/1.0.0">@webpipe/base 1.0.0</a>');
  });
});
