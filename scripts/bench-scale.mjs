// `npm run bench`, issue 17's scale targets (BENCH_ONLY=scale; alone: `npm run bench:scale`).
// 1. Search freshness: SCALE_PUBLISHES (10,000) real publishes against `npm start` (a mix of new
//    names and new versions, SCALE_CONCURRENCY at a time, 127.0.0.1 only), then /v1/search polled
//    until the last one is findable and then until every package shows its newest version; the
//    lag is counted from the last publish's answer. Target: within 10 s.
// 2. Cost per read, 1k vs 100k packages (SCALE_SIZES): two registries side by side, each with a
//    few hundred packages really published, the rest seeded through Miniflare's API into the real
//    storage layout (see seedRegistry); versions GET, metadata GET and search measured with
//    autocannon in interleaved rounds, CPU per request of the server's processes read from /proc.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir, loadavg } from "node:os";
import { join } from "node:path";
import { freePort, loadArchiveBuilder, root, spread, startServer } from "./bench-lib.mjs";

const node22 = join(root, "node_modules", ".bin", "node");
const PUBLISHES = Number(process.env.SCALE_PUBLISHES ?? 10_000);
const PACKAGES = Number(process.env.SCALE_PACKAGES ?? Math.ceil(PUBLISHES / 5));
const CONCURRENCY = Number(process.env.SCALE_CONCURRENCY ?? 16);
const LAG_LIMIT_S = Number(process.env.SCALE_LAG_LIMIT_S ?? 600);
const PUBLISH_LIMIT_S = Number(process.env.SCALE_PUBLISH_LIMIT_S ?? 900);
const TARGET_LAG_S = 10;
const PARTS = new Set((process.env.SCALE_PARTS ?? "freshness,reads").split(","));

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
const verdict = (met) => (met ? "met" : "NOT met");

/** The i-th publish: package (i * 7919) mod P (a prime stride mixes new names and new versions). */
function plan(n, packages) {
  const count = new Map();
  return Array.from({ length: n }, (_, i) => {
    const k = (i * 7919) % packages;
    const c = count.get(k) ?? 0;
    count.set(k, c + 1);
    return { name: `@scale${k % 20}/p${k}`, version: `1.0.${c}` };
  });
}

async function searchShows(url, name, version) {
  const res = await fetch(`${url}/v1/search?q=${encodeURIComponent(name)}&limit=1`);
  if (res.status !== 200) throw new Error(`search ${name}: ${res.status} ${await res.text()}`);
  const hit = (await res.json()).results[0];
  return hit?.name === name && hit.version === version;
}

/** Part 1: publish PUBLISHES versions, then measure how long search takes to show them. */
async function freshness(buildArchive) {
  const dir = mkdtempSync(join(tmpdir(), "ori-bench-scale-"));
  const server = await startServer(dir);
  const loads = [load()];
  try {
    const publishes = plan(PUBLISHES, PACKAGES);
    const newest = new Map(); // package → its highest version published (the one search must show)
    for (const p of publishes) newest.set(p.name, p.version);
    let next = 0;
    let failures = 0;
    let lastAnswer = 0;
    let last = null;
    const started = performance.now();
    const worker = async () => {
      while (next < publishes.length && performance.now() - started < PUBLISH_LIMIT_S * 1000) {
        const p = publishes[next++];
        const res = await fetch(`${server.url}/v1/packages/${p.name}/publish`, {
          method: "POST",
          headers: { authorization: `Bearer ${server.token}`, "content-type": "application/gzip" },
          body: await buildArchive(p),
        });
        await res.arrayBuffer();
        if (res.status !== 201) failures++;
        lastAnswer = performance.now();
        last = p;
      }
    };
    const sampler = setInterval(() => loads.push(load()), 30_000);
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    clearInterval(sampler);
    const published = next;
    if (failures > 0) throw new Error(`${failures} of ${published} publishes were not answered 201`);
    const rate = published / ((lastAnswer - started) / 1000);
    // Only what was published counts (the time limit may have cut the plan short).
    const expected = new Map();
    for (const p of publishes.slice(0, published)) expected.set(p.name, p.version);

    let lastFound = null;
    // Every package, its newest version: checked one by one after the last publish's answer; a
    // package not current when checked is checked again until it is. `allFound` is the lag of the
    // last package to become current (0 if every one was current at its first check; the sweep's
    // own duration is reported beside it).
    let allFound = null;
    let staleAtFirst = 0;
    let sweepMs = 0;
    let stale = [...expected.keys()];
    let first = true;
    const deadline = lastAnswer + LAG_LIMIT_S * 1000;
    while (performance.now() < deadline) {
      if (lastFound === null && (await searchShows(server.url, last.name, expected.get(last.name))))
        lastFound = performance.now() - lastAnswer;
      if (lastFound !== null) {
        const still = [];
        const t0 = performance.now();
        for (let i = 0; i < stale.length; i += 16)
          await Promise.all(
            stale.slice(i, i + 16).map(async (name) => {
              if (!(await searchShows(server.url, name, expected.get(name)))) still.push(name);
            }),
          );
        if (first) {
          staleAtFirst = still.length;
          sweepMs = performance.now() - t0;
          first = false;
        }
        if (still.length === 0) {
          allFound = staleAtFirst === 0 ? 0 : performance.now() - lastAnswer;
          stale = still;
          break;
        }
        stale = still;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    loads.push(load());
    const jobs = jobDurations(server.log());
    return {
      published,
      packages: expected.size,
      rate,
      lastFound,
      allFound,
      staleAtFirst,
      sweepMs,
      stale: stale.length,
      loads,
      jobs,
    };
  } finally {
    server.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 1000));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The server's job log lines: count and median duration per job type. */
function jobDurations(log) {
  const by = new Map();
  for (const line of log.split("\n")) {
    if (!line.includes('"job"')) continue;
    try {
      const j = JSON.parse(line.slice(line.indexOf("{")));
      if (typeof j.job !== "string" || typeof j.durationMs !== "number") continue;
      if (!by.has(j.job)) by.set(j.job, []);
      by.get(j.job).push(j.durationMs);
    } catch {
      // not a JSON line
    }
  }
  return [...by].map(([job, ms]) => ({ job, n: ms.length, ...spread(ms) }));
}

function printFreshness(f) {
  const s = (ms) => (ms === null ? "—" : (ms / 1000).toFixed(1));
  console.log(
    `\nSearch freshness (issue 17) — ${new Date().toISOString()}: ${f.published.toLocaleString("en")} publishes of ${f.packages.toLocaleString("en")} packages (new names and new versions), ${CONCURRENCY} concurrent\n`,
  );
  console.log("| figure | value | target |");
  console.log("|---|---:|---|");
  console.log(`| publishes/s | ${f.rate.toFixed(1)} | — |`);
  console.log(
    `| search shows the last publish, s after its answer | ${s(f.lastFound)} | ≤ ${TARGET_LAG_S} s — ${verdict(f.lastFound !== null && f.lastFound <= TARGET_LAG_S * 1000)} |`,
  );
  console.log(
    `| search shows every package's newest version, s after the last answer | ${s(f.allFound)}${f.stale ? ` (${f.stale} still stale after ${LAG_LIMIT_S} s)` : ""} | ≤ ${TARGET_LAG_S} s — ${verdict(f.allFound !== null && f.allFound <= TARGET_LAG_S * 1000)} |`,
  );
  console.log(
    `\n(${f.staleAtFirst} of ${f.packages} packages were not current at their first check, a sweep of ${s(f.sweepMs)} s right after the last answer; 0 s means every one was.)`,
  );
  console.log(`\nLoad average (1, 5, 15 min) during the run: ${f.loads.join(" | ")}`);
  console.log("Queue jobs (server log): " + f.jobs.map((j) => `${j.job} ${j.n}× median ${j.median} ms`).join("; "));
}

// ——— Part 2: cost per read, 1k vs 100k packages ———————————————————————————————————————

const SIZES = (process.env.SCALE_SIZES ?? "1000,100000").split(",").map(Number);
const REAL = Number(process.env.SCALE_REAL ?? 300);
const ROUNDS = Number(process.env.SCALE_ROUNDS ?? 3);
const SECONDS = Number(process.env.SCALE_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.SCALE_CONNECTIONS ?? 16);
const SEED_CONCURRENCY = 16;
const autocannon = join(root, ".bench", "autocannon", "node_modules", "autocannon", "autocannon.js");

/** utime + stime of this process and its descendants still running (Miniflare's workerd), in ms. */
function treeCpuMs(rootPid) {
  const stats = new Map();
  for (const pid of readdirSafe("/proc")) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      stats.set(Number(pid), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // gone
    }
  }
  let ticks = 0;
  const inTree = (pid) => {
    for (let p = pid; p > 1; p = stats.get(p)?.ppid ?? 0) if (p === rootPid) return true;
    return false;
  };
  for (const [pid, s] of stats) if (inTree(pid)) ticks += s.ticks;
  return (ticks * 1000) / 100; // USER_HZ
}

function readdirSafe(d) {
  return readdirSync(d).filter((p) => /^\d+$/.test(p));
}

/** One registry for one size: its own process (a child on Node 22), so its CPU is its own. */
async function startSized(size, dir) {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  // The child writes its own raised limits (bench-lib's startInProcess).
  const child = spawn(node22, [process.argv[1], "--serve-seeded", String(size), dir, String(port)], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the ${size} registry exited (${child.exitCode})`);
    const m = /^READY (.*)$/m.exec(out);
    if (m) return { size, child, ...JSON.parse(m[1]) };
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** autocannon in a process of its own (its CPU is not the registry's); `paths` are taken in turn. */
function cannon(url, paths, seconds) {
  const out = execFileSync(node22, [process.argv[1], "--load", url, String(seconds), JSON.stringify(paths)], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  return JSON.parse(out);
}

async function runLoad(url, seconds, paths) {
  const { createRequire } = await import("node:module");
  const run = createRequire(autocannon)("autocannon");
  let next = 0;
  const r = await run({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length] }) }],
  });
  process.stdout.write(JSON.stringify(r));
}

async function reads() {
  if (!existsSync(autocannon))
    execFileSync(
      "npm",
      [
        "install",
        "--prefix",
        join(root, ".bench", "autocannon"),
        "--no-audit",
        "--no-fund",
        "--no-save",
        "autocannon@9.0.0",
      ],
      {
        stdio: "inherit",
      },
    );
  const dirs = SIZES.map((s) => mkdtempSync(join(tmpdir(), `ori-bench-scale-${s}-`)));
  const loads = [load()];
  const servers = [];
  try {
    // One after the other: seeding uses both cores.
    for (let i = 0; i < SIZES.length; i++) servers.push(await startSized(SIZES[i], dirs[i]));
    loads.push(load());
    // The same real package in every registry (published in each), read by every row.
    const probe = "@real3/r123";
    // A row reads one URL (the edge cache answers most of them: versions and metadata are kept
    // 30 s) or up to 1,000 packages in turn, spread over the whole registry (most miss the cache and
    // read KV, or search with a different name each time).
    // The same number of names at every size (the smallest registry's seeded count, at most
    // 1,000), so that each row misses the edge cache as often at every size.
    const turns = Math.min(1000, ...servers.map((s) => s.seeded));
    const spreadNames = (s) =>
      Array.from({ length: turns }, (_, j) => {
        const i = Math.floor((j * s.seeded) / turns);
        return `@seed${i % 1000}/s${i}`;
      });
    const paths = [
      ["versions GET, one package", () => [`/v1/packages/${probe}/versions`]],
      [`versions GET, ${turns} packages in turn`, (s) => spreadNames(s).map((n) => `/v1/packages/${n}/versions`)],
      ["metadata GET, one package", () => [`/v1/packages/${probe}/1.0.0/metadata`]],
      [`metadata GET, ${turns} packages in turn`, (s) => spreadNames(s).map((n) => `/v1/packages/${n}/1.0.0/metadata`)],
      [`search by name (1 match), ${turns} names in turn`, (s) => spreadNames(s).map((n) => `/v1/search?q=${n}`)],
      ["search by word (the same 50 matches)", () => ["/v1/search?q=rare"]],
    ];
    const results = new Map();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, pathsOf] of paths) {
        // Alternate which registry goes first.
        const order = round % 2 === 0 ? servers : [...servers].reverse();
        for (const s of order) {
          const list = pathsOf(s);
          cannon(s.url, list, 1); // warm-up
          const cpu0 = treeCpuMs(s.child.pid);
          const r = cannon(s.url, list, SECONDS);
          const cpu = treeCpuMs(s.child.pid) - cpu0;
          const bad = r.errors + r.non2xx;
          if (bad > 0) throw new Error(`${name} at ${s.size}: ${bad} errors or non-2xx`);
          const key = `${name}|${s.size}`;
          if (!results.has(key)) results.set(key, []);
          results.get(key).push({ rps: r.requests.average, cpu: cpu / r.requests.total, p50: r.latency.p50 });
        }
      }
      loads.push(load());
    }
    return { paths, servers, results, loads };
  } finally {
    for (const s of servers) s.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 1500));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

function printReads({ paths, servers, results, loads }) {
  const [small, large] = servers;
  console.log(
    `\nCost per read, ${small.size.toLocaleString("en")} vs ${large.size.toLocaleString("en")} packages (issue 17) — ${new Date().toISOString()}: ${ROUNDS} interleaved rounds of ${SECONDS} s, autocannon ${CONNECTIONS} connections; CPU = user + system of the registry's processes (node + workerd) / requests\n`,
  );
  for (const s of servers)
    console.log(
      `- ${s.size.toLocaleString("en")}: ${s.real} published through the API, ${s.seeded.toLocaleString("en")} seeded (${s.how}) in ${(s.seedMs / 1000).toFixed(0)} s; search lists ${s.listed.toLocaleString("en")}; the local KV alone (Miniflare's API, 1,000 version lists in turn, sequential): ${s.kvGetMs.toFixed(2)} ms per get`,
    );
  console.log(
    `\n| read | CPU ms/req at ${small.size} | at ${large.size} | ratio | req/s at ${small.size} | at ${large.size} | ratio | target (CPU ratio ≤ 1.25) |`,
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|---|");
  for (const [name] of paths) {
    const a = results.get(`${name}|${small.size}`);
    const b = results.get(`${name}|${large.size}`);
    const ca = spread(a.map((x) => x.cpu)).median;
    const cb = spread(b.map((x) => x.cpu)).median;
    const ra = spread(a.map((x) => x.rps)).median;
    const rb = spread(b.map((x) => x.rps)).median;
    const range = (xs, f) => `[${f(spread(xs).min)}–${f(spread(xs).max)}]`;
    const f2 = (x) => x.toFixed(2);
    const f0 = (x) => x.toFixed(0);
    console.log(
      `| ${name} | ${f2(ca)} ${range(
        a.map((x) => x.cpu),
        f2,
      )} | ${f2(cb)} ${range(
        b.map((x) => x.cpu),
        f2,
      )} | ${(cb / ca).toFixed(2)}× | ${f0(ra)} | ${f0(rb)} | ${(rb / ra).toFixed(2)}× | ${verdict(cb / ca <= 1.25)} |`,
    );
  }
  console.log(`\nLoad average (1, 5, 15 min) during the run: ${loads.join(" | ")}`);
}

async function main() {
  const builderDir = mkdtempSync(join(tmpdir(), "ori-bench-scale-builder-"));
  const { buildArchive } = await loadArchiveBuilder(builderDir);
  const t0 = performance.now();
  try {
    if (PARTS.has("freshness")) printFreshness(await freshness(buildArchive));
    if (PARTS.has("reads")) printReads(await reads());
  } finally {
    rmSync(builderDir, { recursive: true, force: true });
  }
  console.log(`\nbench-scale took ${((performance.now() - t0) / 60_000).toFixed(1)} min.`);
}

if (process.argv[2] === "--load") {
  await runLoad(process.argv[3], Number(process.argv[4]), JSON.parse(process.argv[5]));
} else if (process.argv[2] === "--serve-seeded") {
  const { serveSeeded } = await import("./bench-scale-seed.mjs");
  await serveSeeded(Number(process.argv[3]), process.argv[4], Number(process.argv[5]), REAL, SEED_CONCURRENCY);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
}
