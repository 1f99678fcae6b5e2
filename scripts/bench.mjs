// `npm run bench`: starts the registry locally (`npm start`, fresh state, a free port) and
// measures, side by side in one run, median/p99 latency and requests per second of: version
// list, metadata, a 1 MiB download, publish, log appends with concurrent publishes, and the
// advisory database: the audit of a 200-entry lock against 1,000 advisories and a querybatch
// of 1,000 queries (medians with their interquartile range as the noise); then monitoring's
// figures: deep health, and the request log line's cost on the metadata GET against a second
// server with REQUEST_LOGS=false; then the pipeline's (scripts/bench-pipeline.mjs: publish → scan
// done, a rescan's fan-out, the container entry's throughput). Only 127.0.0.1 is targeted; every
// loop is bounded in count and time; last, issue 17's scale targets (scripts/bench-scale.mjs: search
// freshness after 10,000 publishes, cost per read at 1k vs 100k packages; about 20 minutes).
// BENCH_ONLY=reads,objects,publish,advisories,monitoring,pipeline,scale picks parts.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadArchiveBuilder, measure, ok, root, spread, startServer } from "./bench-lib.mjs";
import { benchPipeline } from "./bench-pipeline.mjs";

const N = Number(process.env.BENCH_N ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
/** Which parts run: BENCH_ONLY=reads,objects,publish,advisories,monitoring,pipeline,scale (default: all). */
const ONLY = new Set(
  (process.env.BENCH_ONLY ?? "reads,objects,publish,advisories,monitoring,pipeline,scale").split(","),
);

/** The scale part runs alone, after the other parts' server has stopped (it starts its own). */
function benchScale() {
  execFileSync(process.execPath, [join(root, "scripts/bench-scale.mjs")], { stdio: "inherit" });
}

/** 200 published packages, 1,000 advisories naming them (5 each, ranges and explicit versions), a lock of all 200. */
async function advisoryFixture(server, buildArchive, publish) {
  const admin = { authorization: `Bearer ${server.token}`, "content-type": "application/json" };
  const names = Array.from({ length: 200 }, (_, i) => `@bench/a${i}`);
  const lock = ["[checksums]"];
  await measure(names.length, CONCURRENCY, async (i) => {
    const archive = await buildArchive({ name: names[i], version: "1.2.0" });
    await ok(await publish(names[i], archive), "publish for audit");
    const digest = Buffer.from(await crypto.subtle.digest("SHA-256", archive)).toString("hex");
    lock.push(`"${names[i]}:1.2.0" = "sha256:${digest}"`);
  });
  const advisory = (i) => ({
    summary: `Benchmark advisory ${i}`,
    severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" }],
    affected: [
      {
        package: { ecosystem: "Ori", name: names[i % 200] },
        ranges: [
          {
            type: "SEMVER",
            events: [{ introduced: "0" }, { fixed: `1.${i % 4}.0` }, { introduced: "2.0.0" }, { fixed: "2.0.5" }],
          },
        ],
        versions: ["1.0.0"],
      },
    ],
  });
  const created = await measure(1000, 4, async (i) => {
    const res = await fetch(`${server.url}/v1/advisories`, {
      method: "POST",
      headers: admin,
      body: JSON.stringify(advisory(i)),
    });
    if (res.status !== 201) throw new Error(`create advisory: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  });
  if (created.n !== 1000) throw new Error(`only ${created.n} advisories created within the time limit`);
  const queries = Array.from({ length: 1000 }, (_, i) => ({
    package: { name: names[i % 200], ecosystem: "Ori" },
    version: `1.${i % 5}.0`,
  }));
  return { lock: `${lock.join("\n")}\n`, queries, created };
}

/**
 * Monitoring's figures (docs/monitoring.md): deep health fresh (one call after each 5 s, when the
 * report reused per isolate has expired; as served is a row of the table above), and the extra cost per request of the request
 * log line and error tracking on the metadata GET — this server against a second one with
 * REQUEST_LOGS=false, measured in alternating rounds so that load drifts hit both alike.
 */
async function benchMonitoring(server, buildArchive) {
  const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
  const FRESH = Number(process.env.BENCH_FRESH_HEALTH ?? 6);
  const fresh = [];
  for (let i = 0; i < FRESH; i++) {
    await new Promise((r) => setTimeout(r, 5_100));
    const t0 = performance.now();
    await ok(await fetch(`${server.url}/v1/health/deep`), "deep health");
    fresh.push(performance.now() - t0);
  }
  const quietDir = mkdtempSync(join(tmpdir(), "ori-bench-quiet-"));
  const quiet = await startServer(quietDir, { REQUEST_LOGS: "false" });
  try {
    const archive = await buildArchive({ name: "@bench/small", version: "1.0.0" });
    for (const s of [quiet]) {
      await ok(
        await fetch(`${s.url}/v1/packages/@bench/small/publish`, {
          method: "POST",
          headers: { authorization: `Bearer ${s.token}`, "content-type": "application/gzip" },
          body: archive,
        }),
        "publish small (quiet server)",
      );
    }
    const path = "/v1/packages/@bench/small/1.0.0/metadata";
    const on = [];
    const off = [];
    const measureOn = (s) => measure(N, CONCURRENCY, () => fetch(`${s.url}${path}`).then((r) => ok(r, path)));
    await measureOn(quiet); // warm-up of the second server
    for (let r = 0; r < ROUNDS; r++) {
      // Alternate which goes first, so neither always runs right after the other.
      if (r % 2 === 0) {
        on.push((await measureOn(server)).median);
        off.push((await measureOn(quiet)).median);
      } else {
        off.push((await measureOn(quiet)).median);
        on.push((await measureOn(server)).median);
      }
    }
    const f = spread(fresh);
    const a = spread(on);
    const b = spread(off);
    const diff = spread(on.map((x, i) => x - off[i]));
    console.log(`\nMonitoring (docs/monitoring.md):\n`);
    console.log("| measurement | requests | median ms | [min–max] |");
    console.log("|---|---:|---:|---|");
    console.log(
      `| GET /v1/health/deep, fresh (every check run) | ${fresh.length} | ${f.median.toFixed(1)} | ${f.min.toFixed(1)}–${f.max.toFixed(1)} |`,
    );
    console.log(
      `| metadata GET, request log on (median of ${ROUNDS} rounds' medians) | ${ROUNDS}×${N} | ${a.median.toFixed(2)} | ${a.min.toFixed(2)}–${a.max.toFixed(2)} |`,
    );
    console.log(
      `| metadata GET, REQUEST_LOGS=false | ${ROUNDS}×${N} | ${b.median.toFixed(2)} | ${b.min.toFixed(2)}–${b.max.toFixed(2)} |`,
    );
    console.log(
      `| difference per round (on − off) | ${ROUNDS} | ${diff.median.toFixed(2)} | ${diff.min.toFixed(2)}–${diff.max.toFixed(2)} |`,
    );
    console.log(
      "\nError tracking runs only in the error handler (a 5xx) and records after the answer (waitUntil): a 200 pays nothing for it; the difference above is the log line (and finding the route template).",
    );
  } finally {
    quiet.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 1000));
    rmSync(quietDir, { recursive: true, force: true });
  }
}

// BENCH_ONLY=scale: issue 17's scale figures alone.
if (process.env.BENCH_ONLY === "scale") {
  benchScale();
  process.exit(0);
}

// BENCH_ONLY=pipeline: the pipeline's figures alone (they start servers of their own).
if (process.env.BENCH_ONLY === "pipeline") {
  const builderDir = mkdtempSync(join(tmpdir(), "ori-bench-builder-"));
  const { buildArchive } = await loadArchiveBuilder(builderDir);
  await benchPipeline({ root, startServer, measure, buildArchive });
  rmSync(builderDir, { recursive: true, force: true });
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), "ori-bench-"));
const server = await startServer(dir);
try {
  const { buildArchive } = await loadArchiveBuilder(dir);
  const auth = { authorization: `Bearer ${server.token}`, "content-type": "application/gzip" };
  const publish = (pkg, archive) =>
    fetch(`${server.url}/v1/packages/${pkg}/publish`, { method: "POST", headers: auth, body: archive });
  // A 1 MiB (compressed) archive: random bytes do not compress.
  const big = new Uint8Array(1024 * 1024);
  for (let i = 0; i < big.length; i += 65536) crypto.getRandomValues(big.subarray(i, i + 65536));
  await ok(
    await publish(
      "@bench/big",
      await buildArchive({ name: "@bench/big", version: "1.0.0", files: { "src/blob.bin": big } }),
    ),
    "publish big",
  );
  await ok(
    await publish("@bench/small", await buildArchive({ name: "@bench/small", version: "1.0.0" })),
    "publish small",
  );

  const rows = [];
  const notes = [];
  const get = (path) => () => fetch(`${server.url}${path}`).then((r) => ok(r, path));
  if (ONLY.has("reads")) {
    // Health touches no storage: it is the floor (HTTP + request id + the rate-limit counter).
    rows.push(["GET health (baseline)", await measure(N, CONCURRENCY, get("/v1/health"))]);
    // The advisory rows below run one request at a time: this is their floor.
    rows.push(["GET health (sequential)", await measure(N, 1, get("/v1/health"))]);
    rows.push(["GET versions", await measure(N, CONCURRENCY, get("/v1/packages/@bench/small/versions"))]);
    rows.push(["GET metadata", await measure(N, CONCURRENCY, get("/v1/packages/@bench/small/1.0.0/metadata"))]);
    // Deep health as pollers see it: its report is reused 5 s per isolate (fresh runs: below).
    rows.push(["GET deep health (report reused 5 s)", await measure(N, CONCURRENCY, get("/v1/health/deep"))]);
    rows.push(["GET 1 MiB download", await measure(N, CONCURRENCY, get("/v1/packages/@bench/big/1.0.0/download"))]);
  }
  if (ONLY.has("objects")) {
    // Each single-instance Durable Object, through a read that asks it on every request
    // (docs/performance.md, "The single-instance objects"), 16 requests at a time.
    const admin = { headers: { authorization: `Bearer ${server.token}` } };
    const created = await fetch(`${server.url}/v1/admin/users`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
      body: JSON.stringify({ username: "bench-user" }),
    });
    if (created.status !== 201) throw new Error(`create user: ${created.status} ${await created.text()}`);
    const user = { headers: { authorization: `Bearer ${(await created.json()).token.token}` } };
    const getWith = (path, init) => () => fetch(`${server.url}${path}`, init).then((r) => ok(r, path));
    const query = JSON.stringify({ package: { name: "@bench/small", ecosystem: "Ori" }, version: "1.0.0" });
    for (const [name, fn] of [
      ["floor: GET /v1/health (no object, no storage)", getWith("/v1/health")],
      ["LogSequencer: GET /v1/log/lookup (entry + proof)", getWith("/v1/log/lookup/@bench/small/1.0.0")],
      ["SearchIndex: GET /v1/search", getWith("/v1/search?q=bench")],
      [
        "AdvisoryDatabase: POST /v1/query",
        getWith("/v1/query", { method: "POST", headers: { "content-type": "application/json" }, body: query }),
      ],
      ["AccountDirectory: GET /v1/tokens", getWith("/v1/tokens", user)],
      ["StatusHistory: GET /v1/status", getWith("/v1/status")],
      ["ErrorTracker: GET /v1/admin/errors", getWith("/v1/admin/errors", admin)],
    ])
      rows.push([name, await measure(N * 2, 16, fn)]);
  }
  if (ONLY.has("publish")) {
    const archives = await Promise.all(
      Array.from({ length: N }, (_, i) => buildArchive({ name: "@bench/pub", version: `1.0.${i}` })),
    );
    rows.push([
      "POST publish (sequential)",
      await measure(Math.min(N, 50), 1, (i) => publish("@bench/pub", archives[i]).then((r) => ok(r, "publish"))),
    ]);
    const concurrent = await Promise.all(
      Array.from({ length: N }, (_, i) => buildArchive({ name: `@bench/c${i % 20}`, version: `1.0.${i}` })),
    );
    const treeSizes = new Set();
    const publishAndRecord = async (i) => {
      const res = await publish(`@bench/c${i % 20}`, concurrent[i]);
      if (!res.ok) throw new Error(`publish: ${res.status} ${await res.text()}`);
      treeSizes.add((await res.json()).log.treeSize);
    };
    const pubC = await measure(N, CONCURRENCY * 4, publishAndRecord);
    rows.push([`POST publish (${CONCURRENCY * 4} concurrent, 20 packages)`, pubC]);
    notes.push(
      `Log appends through the sequencer with concurrent publishes: ${pubC.rps.toFixed(0)}/s (each publish waits for its signed checkpoint).`,
      `Batching: the ${pubC.n} concurrent publishes were answered with ${treeSizes.size} distinct checkpoints (${(pubC.n / treeSizes.size).toFixed(1)} entries per signed checkpoint on average).`,
    );
  }
  if (ONLY.has("advisories")) {
    // The advisory database: 1,000 advisories over 200 packages.
    const fixture = await advisoryFixture(server, buildArchive, publish);
    rows.push(["POST advisory (create, 4 concurrent)", fixture.created]);
    let vulnerable = 0;
    const audit = () =>
      fetch(`${server.url}/v1/audit`, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: fixture.lock,
      }).then(async (r) => {
        if (!r.ok) throw new Error(`audit: ${r.status} ${await r.text()}`);
        vulnerable = (await r.json()).summary.vulnerable;
      });
    rows.push(["POST audit (200-entry lock, 1,000 advisories)", await measure(Math.min(N, 100), 1, audit)]);
    // Cold: nothing kept by the isolate — the database changed (a new advisory, on another
    // package) and its version lists are older than the 5 s an isolate keeps them.
    const COLD = Number(process.env.BENCH_COLD_AUDITS ?? 6);
    rows.push([
      "POST audit, cold (caches missed)",
      await measure(COLD, 1, audit, {
        before: async (i) => {
          const res = await fetch(`${server.url}/v1/advisories`, {
            method: "POST",
            headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
            body: JSON.stringify({
              summary: `Cold audit ${i}`,
              affected: [{ package: { ecosystem: "Ori", name: "@bench/cold" }, versions: ["1.0.0"] }],
            }),
          });
          await ok(res, "create advisory");
          await new Promise((r) => setTimeout(r, 5_100));
        },
      }),
    ]);
    const batch = JSON.stringify({ queries: fixture.queries });
    rows.push([
      "POST querybatch (1,000 queries)",
      await measure(Math.min(N, 50), 1, () =>
        fetch(`${server.url}/v1/querybatch`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: batch,
        }).then((r) => ok(r, "querybatch")),
      ),
    ]);
    rows.push([
      "GET metadata (5 advisories)",
      await measure(N, CONCURRENCY, get("/v1/packages/@bench/a0/1.2.0/metadata")),
    ]);
    notes.push(
      `Audit: each run found ${vulnerable} of 200 entries vulnerable (the lock pins 1.2.0; advisories fixed in 1.0.0–1.3.0).`,
    );
  }

  const checkpoint = await (await fetch(`${server.url}/v1/log/checkpoint`)).text();
  console.log(
    `\nOri registry benchmark — ${new Date().toISOString()}, node ${process.version}, N=${N}, concurrency ${CONCURRENCY}`,
  );
  console.log("Figures are from one run on this machine; compare rows with each other, not across machines.\n");
  console.log("| operation | requests | median ms | IQR ms (p25–p75) | p99 ms | req/s |");
  console.log("|---|---:|---:|---:|---:|---:|");
  for (const [name, r] of rows)
    console.log(
      `| ${name} | ${r.n} | ${r.median.toFixed(1)} | ${r.p25.toFixed(1)}–${r.p75.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.rps.toFixed(0)} |`,
    );
  console.log(`Log size at the end: ${checkpoint.split("\n")[1]} entries.`);
  for (const note of notes) console.log(note);

  // BENCH_SERVER_LOG=TEXT: the server's log lines holding TEXT (for profiling with temporary log lines).
  const wanted = process.env.BENCH_SERVER_LOG;
  if (wanted) for (const line of server.log().split("\n")) if (line.includes(wanted)) console.log(line);
  if (ONLY.has("monitoring")) await benchMonitoring(server, buildArchive);
  if (ONLY.has("pipeline") && process.env.BENCH_PIPELINE !== "false")
    await benchPipeline({ root, startServer, measure, buildArchive });
} finally {
  server.child.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 1000));
  rmSync(dir, { recursive: true, force: true });
}
if (ONLY.has("scale")) benchScale();
