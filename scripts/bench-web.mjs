// `npm run bench`, the web UI's part (docs/performance.md, "The web UI"): the server time p50 of
// `/`, `/search?q=…` and a package page with 1,000 and then 10,000 packages in the registry, and
// the bytes of every page kind. It runs the Worker in-process through Miniflare's API (as
// `npm start` does, scripts/lean-runtime.mjs) so that it can seed the packages fast: the search
// index's documents are written straight into the SearchIndex Durable Object over Miniflare's
// RPC proxy, `save(doc, revision)` as the reindex job calls it — a path only this script uses.
// The pages measured read that same index (home: its bounded "recent" read; search: FTS5); the
// package page is a package really published through the API, measured once the pipeline has
// processed and scanned it. Only 127.0.0.1 is targeted.
import { build } from "esbuild";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync, brotliCompressSync } from "node:zlib";
import { freePort, loadArchiveBuilder, root, startInProcess } from "./bench-lib.mjs";

const node22 = join(root, "node_modules", ".bin", "node");

const N = Number(process.env.BENCH_WEB_N ?? 100);
const SIZES = (process.env.BENCH_WEB_SIZES ?? "1000,10000").split(",").map(Number);
const SEED_CONCURRENCY = 16;
const WORDS = ["http", "json", "parser", "client", "server", "crypto", "log", "test", "cli", "math", "time", "text"];

/** Sequential requests (one at a time: the server's time, not the queue's); sorted latencies. */
async function timeSequential(n, fn) {
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const q = (p) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))];
  return { n, p50: q(0.5), p25: q(0.25), p75: q(0.75), p99: q(0.99) };
}

/** The package the i-th seeded document names, and its document (two keywords from WORDS). */
function seededDocument(i) {
  const a = WORDS[i % WORDS.length];
  const b = WORDS[Math.floor(i / WORDS.length) % WORDS.length];
  return {
    name: `@seed${Math.floor(i / 100)}/pkg-${i}`,
    version: `1.${i % 10}.0`,
    description: `Seeded package ${i}: a ${a} library with ${b} helpers`,
    keywords: [a, b],
    categories: [],
    deprecated: null,
    // Spread over the last 30 days, so "recently published" has to use its index.
    updatedAt: new Date(Date.parse("2026-11-01T00:00:00Z") + i * 257_000).toISOString(),
  };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "ori-bench-web-"));
  const port = await freePort();
  // The Worker's request log lines stay on (as deployed, so their cost is in the figures), unprinted.
  const { runtime, vars } = await startInProcess(dir, port);
  try {
    const url = runtime.url;
    const { buildArchive } = await loadArchiveBuilder(dir);
    const auth = { authorization: `Bearer ${vars.ADMIN_TOKEN}` };
    const publish = async (name, version, extra = {}) => {
      const archive = await buildArchive({ name, version, ...extra });
      const res = await fetch(`${url}/v1/packages/${name}/publish`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/gzip" },
        body: archive,
      });
      if (res.status !== 201) throw new Error(`publish ${name} ${version}: ${res.status} ${await res.text()}`);
    };
    // The package page measured: 100 versions (as many as a page lists), a README of about 6 KB.
    const readme = `# @bench/web\n\n${"A paragraph of the README, with `code` and a [link](https://example.com/).\n\n".repeat(80)}`;
    for (let i = 0; i < 100; i++)
      await publish("@bench/web", `1.${Math.floor(i / 10)}.${i % 10}`, { files: { "README.md": readme } });

    // The pipeline's jobs (processing, scans) run on the queue after each publish: measure the
    // page as readers see it once they are done (README HTML, files, dependents).
    const deadline = Date.now() + 300_000;
    for (;;) {
      const res = await fetch(`${url}/v1/packages/@bench/web/1.9.9/metadata`);
      const meta = await res.json();
      if (meta.processing?.status === "done" && meta.scan?.status === "done") break;
      if (Date.now() > deadline) throw new Error("the pipeline did not finish @bench/web 1.9.9 within 5 minutes");
      await new Promise((r) => setTimeout(r, 500));
    }

    const ns = runtime.miniflare.getDurableObjectNamespace("SEARCH_INDEX");
    const index = (await ns).get((await ns).idFromName("search"));
    let seeded = 0;
    const seedTo = async (target) => {
      let next = seeded;
      const worker = async () => {
        while (next < target) {
          const i = next++;
          const r = await index.save(seededDocument(i), 1);
          if (!r.applied) throw new Error(`seeding ${i}: not applied`);
        }
      };
      await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
      seeded = target;
    };

    const get = (path) => async () => {
      const res = await fetch(`${url}${path}`);
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
      await res.arrayBuffer();
    };
    const PAGES = [
      ["`/`", "/"],
      ["`/search?q=http`", "/search?q=http"],
      ["`/search?q=http+json`", "/search?q=http+json"],
      ["package page (100 versions)", "/packages/@bench/web"],
    ];
    const rows = [];
    for (const size of SIZES) {
      const t0 = performance.now();
      await seedTo(size);
      const seedMs = performance.now() - t0;
      const stats = await index.stats();
      // Warm-up: the first request of each page compiles and fills caches.
      for (const [, path] of PAGES) for (let i = 0; i < 5; i++) await get(path)();
      const floor = await timeSequential(N, get("/v1/health"));
      for (const [name, path] of PAGES) rows.push({ size: stats.listed, name, r: await timeSequential(N, get(path)) });
      rows.push({ size: stats.listed, name: "`/v1/health` (floor: no storage)", r: floor });
      console.error(`seeded ${size} packages in ${(seedMs / 1000).toFixed(1)} s`);
    }

    console.log(
      `\nThe web UI — ${new Date().toISOString()}, node ${process.version}, ${N} sequential requests per row\n`,
    );
    console.log("| packages | page | p50 ms | IQR ms (p25–p75) | p99 ms |");
    console.log("|---:|---|---:|---:|---:|");
    for (const { size, name, r } of rows)
      console.log(
        `| ${size.toLocaleString("en")} | ${name} | ${r.p50.toFixed(1)} | ${r.p25.toFixed(1)}–${r.p75.toFixed(1)} | ${r.p99.toFixed(1)} |`,
      );

    const kinds = [
      ...PAGES,
      ["version page", "/packages/@bench/web/1.0.0"],
      ["scope", "/@bench"],
      ["advisories", "/advisories"],
      ["status", "/status"],
      ["docs", "/docs"],
      ["404", "/packages/@bench/nothing"],
    ];
    console.log(
      `\nBytes of each page (${seeded.toLocaleString("en")} packages; the stylesheet and script are separate, cached files):\n`,
    );
    console.log("| page | HTML bytes | gzip | brotli |");
    console.log("|---|---:|---:|---:|");
    for (const [name, path] of kinds) {
      const body = Buffer.from(await (await fetch(`${url}${path}`)).arrayBuffer());
      console.log(
        `| ${name} | ${body.length.toLocaleString("en")} | ${gzipSync(body).length.toLocaleString("en")} | ${brotliCompressSync(body).length.toLocaleString("en")} |`,
      );
    }
    const { STATIC_ASSETS } = await import(pathToFileURL(join(dir, "assets.mjs")).href).catch(async () => {
      await build({
        entryPoints: [join(root, "src/web/static-assets.ts")],
        bundle: true,
        format: "esm",
        outfile: join(dir, "assets.mjs"),
        logLevel: "error",
      });
      return import(pathToFileURL(join(dir, "assets.mjs")).href);
    });
    for (const [key, a] of Object.entries(STATIC_ASSETS)) {
      const body = Buffer.from(a.body);
      console.log(
        `| static ${key} (\`${a.path}\`, immutable) | ${body.length.toLocaleString("en")} | ${gzipSync(body).length.toLocaleString("en")} | ${brotliCompressSync(body).length.toLocaleString("en")} |`,
      );
    }
  } finally {
    await runtime.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (Number(process.versions.node.split(".")[0]) < 22) {
  // Miniflare needs Node.js 22: run again on the node@22 devDependency.
  const child = spawn(node22, [process.argv[1]], { stdio: "inherit" });
  child.on("exit", (code) => process.exit(code ?? 1));
} else {
  await main();
}
