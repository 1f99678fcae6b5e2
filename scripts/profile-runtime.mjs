// `npm run profile:runtime -- [path …]`: where the whole runtime process spends its CPU under
// load, kernel included, sampled by Linux perf — and how much of it is the Worker's own work.
// Built for issue 17's 1 MiB download (docs/performance.md, "Sixth pass"): on a shared 2-core
// machine a throughput figure moves by a tenth between two runs of the same code, while the
// share of the process's samples spent inside the isolate (workerd's IoContext::runImpl: the
// JavaScript, the runtime APIs it calls, its promises and garbage collection) moved by about
// half a point. That share, beside the same share for workerd's ceiling (a Worker that only
// answers the file through the same disk service, scripts/bench-lib.mjs), says what a change
// of the Worker's code is worth: the work outside the isolate (the HTTP server, the disk
// service, the kernel's copies) is the same for the same bytes, so the registry's CPU per
// download is (1 − ceiling's share) / (1 − registry's share) of the ceiling's.
//
// Starts the registry as `npm start` does, with V8's perf map on (workerd writes
// /tmp/perf-<pid>.map, so perf names JIT frames; removed at the end), publishes @bench/small and
// @bench/mib (1 MiB of random bytes), pins each server to CPU 0 and wrk (16 connections) to
// CPU 1, and for each path (default: the 1 MiB download) records PROFILE_SECONDS (default 6) of
// samples; prints the isolate's share, garbage collection's, and the functions that cost most,
// each with the runtime APIs it called. Needs perf (Debian: linux-perf) and wrk
// (scripts/install-bench-tools.sh). 127.0.0.1 only, bounded in time.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { publishProfilePackages, startServer, startWorkerdCeiling } from "./bench-lib.mjs";

const SECONDS = Number(process.env.PROFILE_SECONDS ?? 6);
const MIB = "/v1/packages/@bench/mib/1.0.0/download";
const paths = process.argv.slice(2).length ? process.argv.slice(2) : [MIB];

for (const tool of ["perf", "wrk"])
  try {
    execFileSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" });
  } catch {
    console.error(
      `profile:runtime needs ${tool} (${tool === "perf" ? "apt-get install linux-perf" : "sh scripts/install-bench-tools.sh"})`,
    );
    process.exit(2);
  }

/** The parent of a process (from /proc), or null once it is gone. */
function parentOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")[1];
  } catch {
    return null;
  }
}

/** A workerd process below `ancestor`, other than `except` (this script's runtimes only, never another's). */
function workerdUnder(ancestor, except = null) {
  return readdirSync("/proc").find((p) => {
    if (!/^\d+$/.test(p) || p === except) return false;
    try {
      if (readFileSync(`/proc/${p}/comm`, "utf8").trim() !== "workerd") return false;
    } catch {
      return false;
    }
    for (let cur = parentOf(p); cur && cur !== "0" && cur !== "1"; cur = parentOf(cur))
      if (cur === String(ancestor)) return true;
    return false;
  });
}

const pinned = cpus().length >= 2;
const pin = (pid) => pinned && execFileSync("taskset", ["-a", "-p", "-c", "0", pid], { stdio: "ignore" });
const wrk = (url, seconds) =>
  execFileSync(pinned ? "taskset" : "wrk", [
    ...(pinned ? ["-c", "1", "wrk"] : []),
    "-t2",
    "-c16",
    `-d${seconds}s`,
    url,
  ]).toString();

/** perf's samples of `pid` while wrk loads `url`: each sample's frames, innermost first. */
function record(pid, url, dir) {
  wrk(url, 2); // warm-up
  const out = join(dir, `perf-${pid}.data`);
  const perf = spawn("perf", ["record", "-F", "1999", "-g", "-o", out, "-p", pid, "--", "sleep", String(SECONDS)], {
    stdio: "ignore",
  });
  const load = wrk(url, SECONDS + 1);
  return new Promise((resolve, reject) =>
    perf.on("exit", (code) => {
      try {
        resolve(samplesOf(code, out, load));
      } catch (e) {
        reject(e);
      }
    }),
  );
}

/** The samples perf recorded (each sample's frames, innermost first) and wrk's rate. */
function samplesOf(code, out, load) {
  if (code !== 0) throw new Error(`perf record exited with ${code} (perf_event_paranoid?)`);
  const script = execFileSync("perf", ["script", "-i", out, "-F", "ip,sym"], {
    maxBuffer: 1 << 30,
    stdio: ["ignore", "pipe", "ignore"],
  }).toString();
  const samples = script
    .split("\n\n")
    .map((s) =>
      s
        .split("\n")
        .map((l) => l.trim().replace(/^[0-9a-f]+ /, "")) // the address, then the symbol
        .filter(Boolean),
    )
    .filter((frames) => frames.length > 0);
  return { samples, rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(load)?.[1] ?? NaN) };
}

function shares({ samples }) {
  const pct = (n) => (100 * n) / samples.length;
  const inIsolate = samples.filter((f) => f.some((x) => x.includes("IoContext::runImpl")));
  if (inIsolate.length === 0)
    throw new Error("no sample inside the isolate: this workerd has no IoContext::runImpl symbol?");
  const gc = samples.filter((f) => f.some((x) => x.includes("v8::internal::Heap::CollectGarbage")));
  const byFunction = new Map();
  for (const frames of inIsolate) {
    const js = frames.find((x) => x.startsWith("JS:"));
    const name = js ? js.replace(/^JS:[*+^~']*/, "") : "(no JavaScript frame: the runtime's own work)";
    byFunction.set(name, (byFunction.get(name) ?? 0) + 1);
  }
  const top = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 20);
  return { isolate: pct(inIsolate.length), gc: pct(gc.length), top: top.map(([k, v]) => [k, pct(v)]) };
}

// Both runtimes (the registry's, through start.mjs, and the ceiling's, in this process) read it.
process.env.MINIFLARE_WORKERD_V8_FLAGS = "--perf-basic-prof";
const dir = mkdtempSync(join(tmpdir(), "ori-profile-runtime-"));
const server = await startServer(join(dir, "ori"), { REQUEST_LOGS: process.env.REQUEST_LOGS ?? "false" });
const registryPid = workerdUnder(server.child.pid);
let ceiling = null;
let ceilingPid = null;
try {
  if (!registryPid) throw new Error("the registry's workerd process was not found");
  const mib = await publishProfilePackages(server, dir);
  pin(registryPid);
  ceiling = await startWorkerdCeiling(mib, join(dir, "ceiling"));
  ceilingPid = workerdUnder(process.pid, registryPid);
  pin(ceilingPid);
  const reference = shares(await record(ceilingPid, `${ceiling.url}/mib.oripk`, dir));
  console.log(
    `\nworkerd's ceiling (a Worker answering the 1 MiB file through the disk service): ${reference.isolate.toFixed(1)} % of its samples inside the isolate, GC ${reference.gc.toFixed(1)} %`,
  );
  for (const path of paths) {
    const run = await record(registryPid, `${server.url}${path}`, dir);
    const s = shares(run);
    console.log(
      `\n== ${path}: ${run.samples.length} samples, ${s.isolate.toFixed(1)} % inside the isolate, GC ${s.gc.toFixed(1)} % (wrk: ${run.rps.toFixed(0)} req/s${pinned ? ", server on CPU 0, wrk on CPU 1" : ""})`,
    );
    if (path === MIB)
      console.log(
        `   the same work outside the isolate as the ceiling's: this route's rate is about ${((1 - s.isolate / 100) / (1 - reference.isolate / 100)).toFixed(3)}× the ceiling's`,
      );
    console.log("   % of all samples, by the innermost JavaScript function (with the runtime APIs it called):");
    for (const [name, pct] of s.top) console.log(`${pct.toFixed(2).padStart(9)}  ${name.slice(0, 110)}`);
  }
} finally {
  server.child.kill("SIGTERM");
  await ceiling?.dispose();
  await new Promise((r) => setTimeout(r, 500));
  for (const pid of [registryPid, ceilingPid]) if (pid) rmSync(`/tmp/perf-${pid}.map`, { force: true });
  rmSync(dir, { recursive: true, force: true });
}
