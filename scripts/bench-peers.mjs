// `npm run bench:peers`: this registry beside its peers on the same machine, serving the same
// bytes — Verdaccio 6.8.0 (a self-hoster's alternative; on Node 20 it needs the override
// node-fetch 2.7.0) and nginx for the file baseline — and prints each ratio of issue 17's
// targets. Verdaccio goes into a scratch folder outside the repository (BENCH_PEERS_DIR, default
// ~/.cache/ori-registry-bench), never among the project's dependencies; wrk and nginx come from
// apt (scripts/install-bench-tools.sh, run when they are missing). Without apt: autocannon 9.0.0
// into the scratch folder and a Node static server, and the download rows then say they measure
// the load generator. Load comes from wrk processes (127.0.0.1 only), in BENCH_ROUNDS interleaved
// rounds of BENCH_SECONDS each; medians across rounds, their range as the noise, and the load average.
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, loadArchiveBuilder, measure, ok, root, startServer, startWorkerdCeiling } from "./bench-lib.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
// BENCH_ROWS=<regex>: only the rows whose name matches (e.g. "1 MiB" while working on a
// download); the publish rows are named "publish". Every row by default.
const ROWS = new RegExp(process.env.BENCH_ROWS ?? "", "i");
const scratch = process.env.BENCH_PEERS_DIR ?? join(homedir(), ".cache", "ori-registry-bench");
const node22 = join(root, "node_modules", ".bin", "node");
/** Verdaccio 6.8 runs on the system's Node 20 (npm scripts put node@22 first on PATH). */
const node20 = ["/usr/bin/node", "/usr/local/bin/node"].find((p) => existsSync(p)) ?? process.execPath;

function install(dir, pkg, overrides) {
  mkdirSync(dir, { recursive: true });
  if (existsSync(join(dir, "node_modules", pkg.split("@")[0]))) return;
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({
      name: "ori-bench-peer",
      private: true,
      dependencies: { [pkg.split("@")[0]]: pkg.split("@")[1] },
      overrides,
    }),
  );
  console.log(`Installing ${pkg} into ${dir} …`);
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefix", dir], { stdio: "inherit" });
}

async function waitFor(url, child, what) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode})`);
    if (Date.now() > deadline) throw new Error(`${what} did not answer within 60 s`);
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function startVerdaccio(dir) {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  writeFileSync(
    join(dir, "config.yaml"),
    [
      `storage: ${join(dir, "storage")}`,
      "auth:",
      `  htpasswd:`,
      `    file: ${join(dir, "htpasswd")}`,
      "    max_users: 100",
      "uplinks: {}",
      "packages:",
      "  '@*/*':",
      "    access: $all",
      "    publish: $authenticated",
      "  '**':",
      "    access: $all",
      "    publish: $authenticated",
      "max_body_size: 64mb",
      "log: { type: stdout, format: pretty, level: error }",
      "",
    ].join("\n"),
  );
  const bin = join(scratch, "verdaccio", "node_modules", "verdaccio", "bin", "verdaccio");
  const child = spawn(node20, [bin, "--config", join(dir, "config.yaml"), "--listen", `127.0.0.1:${port}`], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/-/ping`, child, "verdaccio");
  const res = await fetch(`${url}/-/user/org.couchdb.user:bench`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "bench", password: "bench-password-1" }),
  });
  const { token } = await res.json();
  return { url, token, child };
}

/** An npm publish document for `bytes` (the same archive bytes this registry serves). */
function npmPublish(name, version, bytes) {
  const file = `${name.split("/")[1]}-${version}.tgz`;
  return {
    _id: name,
    name,
    "dist-tags": { latest: version },
    versions: { [version]: { name, version, dist: { tarball: `http://x/${name}/-/${file}` } } },
    _attachments: {
      [file]: {
        content_type: "application/octet-stream",
        data: Buffer.from(bytes).toString("base64"),
        length: bytes.length,
      },
    },
  };
}

function verdaccioPublish(v, name, version, bytes) {
  return fetch(`${v.url}/${name.replace("/", "%2f")}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${v.token}`, "content-type": "application/json" },
    body: JSON.stringify(npmPublish(name, version, bytes)),
  });
}

/** A Node static file server (only when nginx is missing): streams the file, as a static server does. */
async function startStaticServer(dir) {
  const port = await freePort();
  const script = `const http=require("http"),fs=require("fs"),path=require("path");http.createServer((q,r)=>{const f=path.join(${JSON.stringify(dir)},path.basename(q.url));fs.stat(f,(e,s)=>{if(e){r.statusCode=404;return r.end()}r.writeHead(200,{"content-length":s.size});fs.createReadStream(f).pipe(r)})}).listen(${port},"127.0.0.1")`;
  const child = spawn(node20, ["-e", script], { stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/none`, child, "static server");
  return { url, child, name: "node static server" };
}

async function startNginx(dir, files) {
  mkdirSync(dir, { recursive: true });
  const nginx = findNginx();
  if (!nginx) return startStaticServer(files);
  const port = await freePort();
  writeFileSync(
    join(dir, "nginx.conf"),
    `daemon off; worker_processes 2; pid ${join(dir, "nginx.pid")}; error_log ${join(dir, "error.log")};
events { worker_connections 1024; }
http { access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000;
  client_body_temp_path ${dir}/b; proxy_temp_path ${dir}/p; fastcgi_temp_path ${dir}/f; uwsgi_temp_path ${dir}/u; scgi_temp_path ${dir}/s;
  server { listen 127.0.0.1:${port}; root ${files}; } }
`,
  );
  const child = spawn(nginx, ["-c", join(dir, "nginx.conf"), "-p", dir], { stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/none`, child, "nginx");
  return { url, child, name: "nginx" };
}

const autocannon = join(scratch, "autocannon", "node_modules", "autocannon", "autocannon.js");

const findWrk = () => ["/usr/bin/wrk", "/usr/local/bin/wrk"].find((p) => existsSync(p));
const findNginx = () => ["/usr/sbin/nginx", "/usr/bin/nginx"].find((p) => existsSync(p));
// wrk and nginx from apt, when missing (scripts/install-bench-tools.sh); without them the
// download rows measure autocannon, not the servers, and the bench says so below.
if (!findWrk() || !findNginx()) {
  try {
    execFileSync("sh", [join(root, "scripts", "install-bench-tools.sh")], { stdio: "inherit" });
  } catch (e) {
    console.warn(`WARNING: could not install wrk and nginx from apt (${e.message}): falling back`);
  }
}
const wrk = findWrk();
const WRK_REPORT = `done = function(s, latency, r)
  io.write(string.format('{"requests":%d,"duration":%d,"bytes":%d,"p50":%d,"non2xx":%d,"errors":%d}\\n',
    s.requests, s.duration, s.bytes, latency:percentile(50), s.errors.status,
    s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout))
end
`;

/**
 * One load run in its own process: requests/s, bytes/s, p50 latency (ms). wrk (apt) when it is
 * there — autocannon, in Node, cannot take large bodies fast enough to measure a file server.
 */
function load(url, connections, seconds = SECONDS) {
  if (wrk) {
    const script = join(scratch, "wrk-report.lua");
    writeFileSync(script, WRK_REPORT);
    const out = execFileSync(wrk, ["-t2", `-c${connections}`, `-d${seconds}s`, "-s", script, url], {
      maxBuffer: 16 * 1024 * 1024,
    }).toString();
    const r = JSON.parse(out.slice(out.lastIndexOf("{")));
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    const s = r.duration / 1e6;
    return { rps: r.requests / s, bps: r.bytes / s, p50: r.p50 / 1000, load1: loadavg()[0] };
  }
  const out = execFileSync(
    existsSync(node22) ? node22 : process.execPath,
    [autocannon, "-c", String(connections), "-d", String(seconds), "-j", url],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const r = JSON.parse(out.toString());
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, bps: r.throughput.average, p50: r.latency.p50, load1: loadavg()[0] };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const range = (xs) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;

install(join(scratch, "verdaccio"), "verdaccio@6.8.0", { "node-fetch": "2.7.0" });
if (!wrk) install(join(scratch, "autocannon"), "autocannon@9.0.0");

const dir = mkdtempSync(join(tmpdir(), "ori-bench-peers-"));
const children = [];
let ours = null;
let ceiling = null;
try {
  // The same work from each: Verdaccio runs at `log level: error` (no line per request), so this
  // registry runs without its request log line too. That line's own cost is measured side by
  // side in `npm run bench` (monitoring) and in docs/performance.md.
  ours = await startServer(join(dir, "ori"), { REQUEST_LOGS: "false" });
  children.push(ours.child);
  const verdaccio = await startVerdaccio(join(dir, "verdaccio"));
  children.push(verdaccio.child);
  mkdirSync(join(dir, "files"));
  const files = { small: null, mib: null, big: null };
  const { buildArchive } = await loadArchiveBuilder(dir);
  const random = (n) => {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i += 65536) crypto.getRandomValues(b.subarray(i, Math.min(n, i + 65536)));
    return b;
  };
  files.small = await buildArchive({ name: "@bench/small", version: "1.0.0" });
  files.mib = await buildArchive({
    name: "@bench/mib",
    version: "1.0.0",
    files: { "src/blob.bin": random(1024 * 1024) },
  });
  files.big = await buildArchive({
    name: "@bench/big",
    version: "1.0.0",
    files: { "src/blob.bin": random(10_000_000) },
  });
  const publishOurs = (name, bytes) =>
    fetch(`${ours.url}/v1/packages/${name}/publish`, {
      method: "POST",
      headers: { authorization: `Bearer ${ours.token}`, "content-type": "application/gzip" },
      body: bytes,
    });
  for (const [name, bytes] of [
    ["@bench/small", files.small],
    ["@bench/mib", files.mib],
    ["@bench/big", files.big],
  ]) {
    await ok(await publishOurs(name, bytes), `publish ${name}`);
    await ok(await verdaccioPublish(verdaccio, name, "1.0.0", bytes), `verdaccio publish ${name}`);
  }
  // nginx's workers drop root: they must be able to read the files.
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, "files", "big.tgz"), files.big);
  writeFileSync(join(dir, "files", "mib.tgz"), files.mib);
  const staticServer = await startNginx(join(dir, "nginx"), join(dir, "files"));
  children.push(staticServer.child);
  ceiling = await startWorkerdCeiling(files.mib, join(dir, "ceiling"));

  const targets = {
    "versions GET, 16 conn.": [
      [`${ours.url}/v1/packages/@bench/small/versions`, 16],
      [`${verdaccio.url}/@bench%2fsmall`, 16],
    ],
    "versions GET, 64 conn.": [
      [`${ours.url}/v1/packages/@bench/small/versions`, 64],
      [`${verdaccio.url}/@bench%2fsmall`, 64],
    ],
    "metadata GET, 16 conn.": [
      [`${ours.url}/v1/packages/@bench/small/1.0.0/metadata`, 16],
      [`${verdaccio.url}/@bench%2fsmall/1.0.0`, 16],
    ],
    "1 MiB download, 16 conn.": [
      [`${ours.url}/v1/packages/@bench/mib/1.0.0/download`, 16],
      [`${verdaccio.url}/@bench%2fmib/-/mib-1.0.0.tgz`, 16],
    ],
    "1 MiB download, 16 conn., beside workerd's ceiling": [
      [`${ours.url}/v1/packages/@bench/mib/1.0.0/download`, 16],
      [`${ceiling.url}/mib.tgz`, 16],
    ],
    "10 MB download, 16 conn.": [
      [`${ours.url}/v1/packages/@bench/big/1.0.0/download`, 16],
      [`${staticServer.url}/big.tgz`, 16],
    ],
  };
  for (const name of Object.keys(targets)) if (!ROWS.test(name)) delete targets[name];
  // Warm-up: every URL once for 1 s (caches filled, JIT warm).
  for (const pairs of Object.values(targets)) for (const [url, c] of pairs) load(url, c, 1);
  const results = Object.fromEntries(Object.keys(targets).map((k) => [k, [[], []]]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, pairs] of Object.entries(targets)) {
      // Alternate which goes first, so a drift of the machine's load hits both alike.
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      for (const i of order) results[name][i].push(load(pairs[i][0], pairs[i][1]));
    }
  }

  // Publishes: our measure loop (a second process from both servers), 20 packages, new versions.
  const PUBS = Number(process.env.BENCH_PUBLISHES ?? 200);
  const pub = { ours: { 1: [], 32: [] }, verdaccio: { 1: [], 32: [] } };
  for (let round = 0; round < (ROWS.test("publish") ? ROUNDS : 0); round++) {
    for (const c of [1, 32]) {
      const n = c === 1 ? Math.min(40, PUBS) : PUBS;
      const names = Array.from({ length: n }, (_, i) => `@bench/r${round}c${c}p${i % 20}`);
      const batch = await Promise.all(names.map((name, i) => buildArchive({ name, version: `1.0.${i}` })));
      const mine = () => measure(n, c, (i) => publishOurs(names[i], batch[i]).then((r) => ok(r, "publish")));
      const theirs = () =>
        measure(n, c, (i) =>
          verdaccioPublish(verdaccio, names[i], `1.0.${i}`, batch[i]).then((r) => ok(r, "verdaccio publish")),
        );
      const [x, y] = round % 2 === 0 ? [await mine(), await theirs()] : [null, await theirs()];
      pub.ours[c].push((x ?? (await mine())).rps);
      pub.verdaccio[c].push(y.rps);
    }
  }

  console.log(
    `\nOri registry beside its peers — ${new Date().toISOString()}; ${ROUNDS} interleaved rounds of ${SECONDS} s (${wrk ? "wrk, 2 threads" : "autocannon 9.0.0"}, 127.0.0.1); medians [range]; file baseline: ${staticServer.name}; Verdaccio 6.8.0 on node ${execFileSync(node20, ["--version"]).toString().trim()}\n`,
  );
  if (!wrk)
    console.log(
      "WARNING: no wrk (apt unreachable?): autocannon, in Node, cannot take large bodies fast enough — the download rows below measure it, not the servers.\n",
    );
  console.log("| work | this registry | peer | ratio (target) | load avg (1 min) |");
  console.log("|---|---:|---:|---:|---:|");
  // Each row from its key in `results`; a row BENCH_ROWS left out prints nothing.
  const row = (name, key, value, unit, target) => {
    if (!results[key]) return;
    const [mine, theirs] = results[key];
    const a = mine.map(value);
    const b = theirs.map(value);
    const ratio = median(a) / median(b);
    const loads = [...mine, ...theirs].map((r) => r.load1);
    console.log(
      `| ${name} | ${median(a).toFixed(1)} ${unit} [${range(a)}] | ${median(b).toFixed(1)} ${unit} [${range(b)}] | **${ratio.toFixed(2)}×** ${target === null ? "(context, no target)" : `(≥ ${target}×) ${ratio >= target ? "met" : "NOT met"}`} | ${range(loads)} |`,
    );
  };
  const MB = (r) => r.bps / 1e6;
  const RPS = (r) => r.rps;
  row("versions GET, 16 conn. (req/s)", "versions GET, 16 conn.", RPS, "req/s", 2);
  row("versions GET, 64 conn. (req/s)", "versions GET, 64 conn.", RPS, "req/s", 2);
  row("metadata GET, 16 conn. (req/s)", "metadata GET, 16 conn.", RPS, "req/s", 2);
  row("1 MiB download, 16 conn. (MB/s)", "1 MiB download, 16 conn.", MB, "MB/s", 2);
  row(
    "1 MiB download, 16 conn. (MB/s; peer: workerd's ceiling, a Worker answering the file through workerd's disk service)",
    "1 MiB download, 16 conn., beside workerd's ceiling",
    MB,
    "MB/s",
    null,
  );
  if (results["1 MiB download, 16 conn., beside workerd's ceiling"] && results["1 MiB download, 16 conn."]) {
    // What 2× Verdaccio asks of the runtime itself: the ceiling's rate over Verdaccio's, each the
    // median of its own rounds (measured in different slots of the same rounds).
    const c = median(results["1 MiB download, 16 conn., beside workerd's ceiling"][1].map(MB));
    const v = median(results["1 MiB download, 16 conn."][1].map(MB));
    console.log(
      `\n1 MiB: workerd's ceiling is ${(c / v).toFixed(2)}× Verdaccio's rate here (this registry's target: 2×)`,
    );
  }
  row(`10 MB download, 16 conn. (MB/s; peer: ${staticServer.name})`, "10 MB download, 16 conn.", MB, "MB/s", 0.5);
  if (results["versions GET, 16 conn."]) {
    const p50 = results["versions GET, 16 conn."][0].map((r) => r.p50);
    console.log(
      `\nversions GET p50 at 16 connections: ${median(p50).toFixed(1)} ms [${range(p50)}] (target < 5 ms: ${median(p50) < 5 ? "met" : "NOT met"}); Verdaccio's: ${median(results["versions GET, 16 conn."][1].map((r) => r.p50)).toFixed(1)} ms`,
    );
  }
  for (const c of pub.ours[1].length ? [1, 32] : []) {
    const a = pub.ours[c];
    const b = pub.verdaccio[c];
    const target = c === 32 ? 1 : 0.5;
    const ratio = median(a) / median(b);
    console.log(
      `publish, ${c === 1 ? "one at a time" : "32 concurrent"}: ${median(a).toFixed(1)} req/s [${range(a)}] vs Verdaccio ${median(b).toFixed(1)} [${range(b)}] — **${ratio.toFixed(2)}×** (target ≥ ${target}×: ${ratio >= target ? "met" : "NOT met"})`,
    );
  }
  console.log(
    `load average now: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`,
  );
} catch (e) {
  // A failed load run (a non-2xx answer): the server's own lines say why (errors are logged
  // with REQUEST_LOGS=false too).
  if (ours) console.error(`The registry's last log lines:\n${ours.log().slice(-8000)}`);
  throw e;
} finally {
  for (const child of children) child.kill("SIGTERM");
  await ceiling?.dispose();
  await new Promise((r) => setTimeout(r, 1000));
  rmSync(dir, { recursive: true, force: true });
}
