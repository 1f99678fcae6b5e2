// `npm run profile -- [path …]`: where the Worker's own isolate spends its CPU on a request.
// Starts the registry as `npm start` does (fresh state, raised limits) with the V8 inspector on
// (INSPECTOR_PORT), publishes @bench/small 1.0.0 and @bench/mib 1.0.0 (1 MiB of random bytes),
// then for each path (default: the small one's version list)
// samples the Worker's isolate while 16 keep-alive clients request it for PROFILE_SECONDS
// (default 5), and prints the functions with the most self and inclusive time, with their
// source line from the bundle. (The inspector adds its own cost to console calls.) Built while
// finding issue 17's read costs (docs/performance.md); 127.0.0.1 only, bounded in time.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, publishProfilePackages, startServer } from "./bench-lib.mjs";

const SECONDS = Number(process.env.PROFILE_SECONDS ?? 5);
const paths = process.argv.slice(2).length ? process.argv.slice(2) : ["/v1/packages/@bench/small/versions"];

/** A DevTools protocol session over the inspector's WebSocket (Node 22's global WebSocket). */
async function session(url) {
  const ws = new WebSocket(url);
  const pending = new Map();
  const scripts = new Map();
  let id = 0;
  ws.onmessage = (m) => {
    const d = JSON.parse(m.data);
    if (d.method === "Debugger.scriptParsed") scripts.set(d.params.url, d.params.scriptId);
    if (d.id && pending.has(d.id)) pending.get(d.id)(d.result);
  };
  await new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = reject)));
  const send = (method, params = {}) =>
    new Promise((resolve) => {
      pending.set(++id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  return { send, scripts, close: () => ws.close() };
}

async function load(url, seconds) {
  const until = Date.now() + seconds * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (Date.now() < until) {
        await (await fetch(url)).arrayBuffer();
        n++;
      }
    }),
  );
  return n;
}

function report(profile, source) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n) => {
    const f = n.callFrame;
    const file = f.url.split("/").pop();
    return `${f.functionName || "(anonymous)"}${file ? ` ${file}:${f.lineNumber + 1}` : ""}`;
  };
  const self = new Map();
  const inclusive = new Map();
  for (const s of profile.samples) {
    const leaf = byId.get(s);
    self.set(name(leaf), (self.get(name(leaf)) ?? 0) + 1);
    const seen = new Set();
    for (let cur = s; cur !== undefined; cur = parent.get(cur)) {
      const k = name(byId.get(cur));
      if (seen.has(k)) continue;
      inclusive.set(k, (inclusive.get(k) ?? 0) + 1);
      seen.add(k);
    }
  }
  const total = profile.samples.length;
  const line = (k) => {
    const m = / (\S+):(\d+)$/.exec(k);
    const text = m && source.get(m[1])?.[Number(m[2]) - 1]?.trim();
    return text ? `  | ${text.slice(0, 100)}` : "";
  };
  for (const [title, table] of [
    ["self", self],
    ["inclusive", inclusive],
  ]) {
    console.log(`\n${title} time (% of ${total} samples):`);
    for (const [k, v] of [...table].sort((a, b) => b[1] - a[1]).slice(0, 25))
      console.log(`${((100 * v) / total).toFixed(1).padStart(6)}  ${k}${line(k)}`);
  }
}

const dir = mkdtempSync(join(tmpdir(), "ori-profile-"));
const inspector = await freePort();
// REQUEST_LOGS=false: without the log line (as bench:peers measures; under the inspector its
// console call costs more than it does otherwise).
const vars = process.env.REQUEST_LOGS ? { REQUEST_LOGS: process.env.REQUEST_LOGS } : {};
const server = await startServer(join(dir, "ori"), vars, { INSPECTOR_PORT: String(inspector) });
try {
  await publishProfilePackages(server, dir);
  const targets = await (await fetch(`http://127.0.0.1:${inspector}/json`)).json();
  const worker = targets.find((t) => t.id === "core:user:ori-registry") ?? targets[0];
  const s = await session(worker.webSocketDebuggerUrl);
  await s.send("Debugger.enable");
  await s.send("Profiler.enable");
  await s.send("Profiler.setSamplingInterval", { interval: 100 });
  const source = new Map();
  for (const [url, scriptId] of s.scripts) {
    if (!url.endsWith(".js")) continue;
    const { scriptSource } = await s.send("Debugger.getScriptSource", { scriptId });
    source.set(url.split("/").pop(), scriptSource.split("\n"));
  }
  for (const path of paths) {
    await load(`${server.url}${path}`, 1); // warm-up
    await s.send("Profiler.start");
    const n = await load(`${server.url}${path}`, SECONDS);
    const { profile } = await s.send("Profiler.stop");
    console.log(`\n== ${path}: ${n} requests in ${SECONDS} s, sampled in the Worker's isolate`);
    report(profile, source);
  }
  s.close();
} finally {
  server.child.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 500));
  rmSync(dir, { recursive: true, force: true });
}
