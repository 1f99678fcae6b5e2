// The pipeline's figures in `npm run bench` (docs/processing.md): publish → `scan: done` (p50) on
// a fresh server with the inline backend and on one with PROCESSING_BACKEND=container; a rescan
// after one advisory over 1,000 dependent versions (total time, jobs/s); and the container
// entry's processing throughput (archives/s for 100 KB and 5 MB archives) beside the inline
// adapter's, one archive at a time, in this process and in the entry as a child process.
import { build } from "esbuild";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { startLocalProcessor } from "./local-processor.mjs";

const PUBLISHES = Number(process.env.BENCH_PIPELINE_PUBLISHES ?? 20);
const DEPENDENTS = Number(process.env.BENCH_DEPENDENTS ?? 1000);
const POLL_MS = 25;
const WAIT_LIMIT_MS = 300_000;

/** Bundles a module of src/ for Node and imports it. */
async function importBundled(root, dir, entry) {
  const out = join(dir, `${entry.replace(/\W/g, "-")}.mjs`);
  await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    format: "esm",
    platform: "node",
    outfile: out,
    logLevel: "error",
  });
  return import(pathToFileURL(out).href);
}

const sha256 = async (bytes) => Buffer.from(await crypto.subtle.digest("SHA-256", bytes)).toString("hex");
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function waitFor(what, check) {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${WAIT_LIMIT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Publish → the version's metadata says `scan: done`, one publish at a time. */
async function publishToScanned(server, buildArchive, label) {
  const times = [];
  for (let i = 0; i < PUBLISHES; i++) {
    const name = `@pipe/p${i}`;
    const archive = await buildArchive({ name, version: "1.0.0" });
    const t0 = performance.now();
    const res = await fetch(`${server.url}/v1/packages/${name}/publish`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.token}`, "content-type": "application/gzip" },
      body: archive,
    });
    if (res.status !== 201) throw new Error(`publish: ${res.status} ${await res.text()}`);
    await waitFor(`${label}: the scan of ${name}`, async () => {
      const meta = await (await fetch(`${server.url}/v1/packages/${name}/1.0.0/metadata`)).json();
      return meta.scan?.status === "done" && meta.processing?.status === "done";
    });
    times.push(performance.now() - t0);
  }
  return { label, n: times.length, p50: median(times), max: Math.max(...times) };
}

/** Checks many versions' metadata until each passes `done`: each round asks only the ones not yet done, 8 at a time. */
async function allDone(server, versions, done) {
  let left = [...versions];
  await waitFor(`${versions.length} versions`, async () => {
    const still = [];
    for (let i = 0; i < left.length; i += 8) {
      const chunk = left.slice(i, i + 8);
      const metas = await Promise.all(
        chunk.map(async ([name, version]) =>
          (await fetch(`${server.url}/v1/packages/${name}/${version}/metadata`)).json(),
        ),
      );
      metas.forEach((m, j) => {
        if (!done(m)) still.push(chunk[j]);
      });
    }
    left = still;
    return left.length === 0;
  });
}

/** 1,000 versions (50 packages × 20) pin @pipe/root@1.0.0; one advisory on it; until all show it. */
async function rescanFanOut(server, buildArchive, measure) {
  const auth = { authorization: `Bearer ${server.token}` };
  const root = await buildArchive({ name: "@pipe/root", version: "1.0.0" });
  const rootSha = await sha256(root);
  const pub = async (name, archive) => {
    const res = await fetch(`${server.url}/v1/packages/${name}/publish`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/gzip" },
      body: archive,
    });
    if (res.status !== 201) throw new Error(`publish ${name}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  };
  await pub("@pipe/root", root);
  const versions = Array.from({ length: DEPENDENTS }, (_, i) => [`@pipe/d${i % 50}`, `1.0.${Math.floor(i / 50)}`]);
  const published = await measure(DEPENDENTS, 8, async (i) => {
    const [name, version] = versions[i];
    const archive = await buildArchive({
      name,
      version,
      dependencies: { "@pipe/root": "1.0.0" },
      lockEntries: [{ name: "@pipe/root", version: "1.0.0", sha256: rootSha }],
    });
    await pub(name, archive);
  });
  if (published.n !== DEPENDENTS) throw new Error(`only ${published.n} dependents published in time`);
  // Every publish's own scan first, so the rescan is measured alone.
  await allDone(server, versions, (m) => m.scan?.status === "done");

  const t0 = performance.now();
  const created = await fetch(`${server.url}/v1/advisories`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({
      summary: "Benchmark advisory on the root of 1,000 dependents",
      severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" }],
      affected: [
        {
          package: { ecosystem: "Ori", name: "@pipe/root" },
          ranges: [{ type: "SEMVER", events: [{ introduced: "0" }] }],
        },
      ],
    }),
  });
  if (created.status !== 201) throw new Error(`advisory: ${created.status} ${await created.text()}`);
  const { id } = await created.json();
  await allDone(server, versions, (m) =>
    (m.dependencyAdvisories ?? []).some((d) => d.name === "@pipe/root" && d.advisories.some((a) => a.id === id)),
  );
  const totalMs = performance.now() - t0;
  // The jobs that ran: the affected stage, the root's scan, one page per 100 dependents, a scan each.
  const jobs = 1 + 1 + Math.ceil(DEPENDENTS / 100) + DEPENDENTS;
  return { dependents: DEPENDENTS, totalMs, jobs, jobsPerSecond: (jobs / totalMs) * 1000 };
}

/** Archives/s, one at a time, for at least `minMs` or `minCount` archives. */
async function throughput(processor, archive, minCount, minMs = 3_000) {
  await processor.process(archive); // warm-up
  let n = 0;
  const t0 = performance.now();
  while (n < minCount || performance.now() - t0 < minMs) {
    const r = await processor.process(archive);
    if (!r.ok) throw new Error(`refused: ${r.code} ${r.message}`);
    n++;
    if (performance.now() - t0 > 30_000) break;
  }
  return (n / (performance.now() - t0)) * 1000;
}

async function processingThroughput(root, dir, buildArchive) {
  const { inlineProcessor: inline } = await importBundled(root, dir, "src/processing/processor.ts");
  const { HttpProcessor } = await importBundled(root, dir, "src/processing/http-processor.ts");
  const entry = await startLocalProcessor({ port: 0, log: () => {} });
  try {
    const http = new HttpProcessor({ fetch: (r) => fetch(r) }, entry.url);
    const sized = async (bytes) => {
      // Random bytes do not compress: the archive is about `bytes` long.
      const blob = new Uint8Array(bytes);
      for (let i = 0; i < blob.length; i += 65536) crypto.getRandomValues(blob.subarray(i, i + 65536));
      return buildArchive({ name: "@pipe/sized", version: "1.0.0", files: { "src/blob.bin": blob } });
    };
    const rows = [];
    for (const [label, bytes, min] of [
      ["100 KB", 100 * 1024, 200],
      ["5 MB", 5 * 1024 * 1024, 10],
    ]) {
      const archive = await sized(bytes);
      rows.push({
        label,
        size: archive.length,
        inline: await throughput(inline, archive, min),
        container: await throughput(http, archive, min),
      });
    }
    return rows;
  } finally {
    await entry.stop();
  }
}

export async function benchPipeline({ root, startServer, measure, buildArchive }) {
  const dir = mkdtempSync(join(tmpdir(), "ori-bench-pipeline-"));
  const servers = [];
  try {
    const inline = await startServer(join(dir, "inline"));
    servers.push(inline);
    const toScanInline = await publishToScanned(inline, buildArchive, "inline");
    const fanOut = await rescanFanOut(inline, buildArchive, measure);
    const boxed = await startServer(join(dir, "container"), {}, { PROCESSING_BACKEND: "container" });
    servers.push(boxed);
    const toScanContainer = await publishToScanned(boxed, buildArchive, "container");
    const rows = await processingThroughput(root, dir, buildArchive);

    console.log(`\nThe pipeline after a publish (docs/processing.md):\n`);
    console.log("| measurement | n | p50 ms | max ms |");
    console.log("|---|---:|---:|---:|");
    for (const r of [toScanInline, toScanContainer])
      console.log(
        `| publish → \`scan: done\` (${r.label} backend, one at a time) | ${r.n} | ${r.p50.toFixed(0)} | ${r.max.toFixed(0)} |`,
      );
    console.log(
      `\nRescan after one advisory over ${fanOut.dependents} dependent versions: ${(fanOut.totalMs / 1000).toFixed(1)} s until every one showed it, ${fanOut.jobs} jobs, ${fanOut.jobsPerSecond.toFixed(0)} jobs/s (inline backend).`,
    );
    console.log(
      `\n| processing, one archive at a time | archive bytes | inline archives/s | container entry archives/s |`,
    );
    console.log("|---|---:|---:|---:|");
    for (const r of rows)
      console.log(`| ${r.label} | ${r.size} | ${r.inline.toFixed(1)} | ${r.container.toFixed(1)} |`);
  } finally {
    for (const s of servers) s.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 1500));
    rmSync(dir, { recursive: true, force: true });
  }
}
