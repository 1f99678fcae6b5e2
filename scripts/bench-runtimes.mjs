// `npm run bench:runtimes`: the local runtimes side by side — `npm start` (Miniflare's API),
// `npm run dev` (wrangler dev), the old `npm start` (wrangler dev with its local trace store on)
// and wrangler's programmatic unstable_startWorker — in interleaved rounds. Each round starts the
// runtime on fresh state, publishes one package, then for GET /v1/health and a versions GET runs
// 2 s of warm-up and 10 s of autocannon (16 connections, 127.0.0.1 only) and reads the CPU the
// server's processes used meanwhile from /proc. Prints one JSON line per measurement and a table
// of medians. autocannon is installed into a scratch folder (.bench/autocannon), never into the
// project. Bounded: BENCH_ROUNDS (default 3) × runtimes × 2 paths × 12 s.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, raisedLimits } from "./bench-lib.mjs";
import { ensureLocalSecrets, localSettings, root } from "./local-secrets.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RUNTIMES = (process.env.BENCH_RUNTIMES ?? "start,dev,old,startworker").split(",");
const node22 = join(root, "node_modules", ".bin", "node");
const scratch = join(root, ".bench", "autocannon");
const autocannon = join(scratch, "node_modules", "autocannon", "autocannon.js");

function commandFor(runtime) {
  switch (runtime) {
    case "start":
      return { args: [join(root, "scripts/start.mjs")], env: {} };
    case "dev":
      return { args: [join(root, "scripts/dev.mjs")], env: {} };
    case "old":
      return { args: [join(root, "scripts/dev.mjs")], env: { X_LOCAL_OBSERVABILITY: "true" } };
    case "startworker":
      return {
        args: [join(root, "scripts/bench-runtimes.mjs"), "--serve-start-worker"],
        env: { X_LOCAL_OBSERVABILITY: "false", WRANGLER_SEND_METRICS: "false" },
      };
    default:
      throw new Error(`unknown runtime ${runtime}`);
  }
}

/** utime + stime of every process in the session `sid` (the server and its workerd), in ms. */
function sessionCpuMs(sid) {
  const hz = 100; // USER_HZ on Linux
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(f[3]) === sid) ticks += Number(f[11]) + Number(f[12]);
    } catch {}
  }
  return (ticks * 1000) / hz;
}

async function startRuntime(runtime, dir) {
  const port = await freePort();
  // The limiter's cost is measured, not its refusals: raise the limits for this run.
  writeFileSync(join(dir, "dev.vars"), raisedLimits());
  const settings = {
    ...localSettings({ PORT: String(port), PERSIST_TO: join(dir, "state"), DEV_VARS_PATH: join(dir, "dev.vars") }),
  };
  ensureLocalSecrets(settings);
  const { args, env } = commandFor(runtime);
  // detached: its own session, so its CPU (node + workerd) can be summed, and it can be stopped whole.
  const child = spawn(existsSync(node22) ? node22 : process.execPath, args, {
    cwd: root,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      PORT: String(port),
      PERSIST_TO: settings.persistTo,
      DEV_VARS_PATH: settings.devVarsPath,
      WRANGLER_SEND_METRICS: "false",
      ...env,
    },
  });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${runtime} exited:\n${log}`);
    if (performance.now() - started > 90_000) throw new Error(`${runtime} not healthy in 90 s:\n${log}`);
    try {
      if ((await fetch(`${url}/v1/health`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  const startupMs = performance.now() - started;
  const token = /ADMIN_TOKEN="([^"]+)"/.exec(readFileSync(settings.devVarsPath, "utf8"))[1];
  return {
    url,
    token,
    startupMs,
    pid: child.pid,
    stop: async () => {
      const exited = new Promise((r) => child.once("exit", r));
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {}
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
    },
  };
}

function load(url) {
  const out = execFileSync(node22, [autocannon, "-c", String(CONNECTIONS), "-d", String(SECONDS), "-j", url], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  return JSON.parse(out);
}

async function publishFixture(server, dir) {
  const archive = join(dir, "utils.oripk");
  execFileSync(
    process.execPath,
    [join(root, "dist/cli.mjs"), "pack", "-C", join(root, "test/fixtures/ori-deps/utils"), "-o", archive],
    { stdio: "ignore" },
  );
  const res = await fetch(`${server.url}/v1/packages/@orilib/utils/publish`, {
    method: "POST",
    headers: { authorization: `Bearer ${server.token}`, "content-type": "application/gzip" },
    body: readFileSync(archive),
  });
  if (res.status !== 201) throw new Error(`publish answered ${res.status}: ${await res.text()}`);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  if (!existsSync(autocannon)) {
    mkdirSync(scratch, { recursive: true });
    execFileSync("npm", ["install", "--prefix", scratch, "--no-audit", "--no-fund", "--no-save", "autocannon@9.0.0"], {
      stdio: "inherit",
    });
  }
  const paths = ["/v1/health", "/v1/packages/@orilib/utils/versions"];
  const rows = [];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const runtime of RUNTIMES) {
      const dir = mkdtempSync(join(tmpdir(), `ori-bench-${runtime}-`));
      const server = await startRuntime(runtime, dir);
      try {
        await publishFixture(server, dir);
        for (const path of paths) {
          execFileSync(node22, [autocannon, "-c", String(CONNECTIONS), "-d", "2", `${server.url}${path}`], {
            stdio: "ignore",
          });
          const cpu0 = sessionCpuMs(server.pid);
          const r = load(`${server.url}${path}`);
          const cpuMs = sessionCpuMs(server.pid) - cpu0;
          const row = {
            runtime,
            round,
            path,
            rps: r.requests.average,
            p50: r.latency.p50,
            p99: r.latency.p99,
            requests: r.requests.total,
            non2xx: r.non2xx,
            errors: r.errors,
            cpuMsPerRequest: +(cpuMs / r.requests.total).toFixed(3),
            startupMs: Math.round(server.startupMs),
            load1: +loadavg()[0].toFixed(2),
          };
          rows.push(row);
          console.log(JSON.stringify(row));
        }
      } finally {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  console.log(`\nmedians of ${ROUNDS} rounds (${CONNECTIONS} connections, ${SECONDS} s each; range in brackets)`);
  console.log("| runtime | path | req/s | p50 ms | CPU ms/request | startup ms |\n|---|---|---:|---:|---:|---:|");
  for (const runtime of RUNTIMES) {
    for (const path of paths) {
      const rs = rows.filter((r) => r.runtime === runtime && r.path === path);
      const range = (k, d = 0) =>
        `${median(rs.map((r) => r[k])).toFixed(d)} [${Math.min(...rs.map((r) => r[k])).toFixed(d)}–${Math.max(...rs.map((r) => r[k])).toFixed(d)}]`;
      console.log(
        `| ${runtime} | ${path} | ${range("rps")} | ${range("p50")} | ${range("cpuMsPerRequest", 2)} | ${median(rs.map((r) => r.startupMs)).toFixed(0)} |`,
      );
    }
  }
}

async function serveStartWorker() {
  // The programmatic-API candidate: wrangler's unstable_startWorker, no watch, no live reload.
  const { unstable_startWorker } = await import("wrangler");
  const s = localSettings();
  const worker = await unstable_startWorker({
    config: join(root, "wrangler.jsonc"),
    envFiles: [s.devVarsPath],
    dev: {
      server: { hostname: s.host, port: Number(s.port) },
      persist: s.persistTo,
      watch: false,
      liveReload: false,
      inspector: false,
    },
  });
  await worker.ready;
  console.log(`Ready on ${await worker.url}`);
  process.on("SIGTERM", () => worker.dispose().then(() => process.exit(0)));
}

if (process.argv[2] === "--serve-start-worker") await serveStartWorker();
else await main();
