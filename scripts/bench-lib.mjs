// The benchmarks' shared parts: a free port, the registry started as `npm start` starts it
// (fresh state, rate limits raised so the limiter's cost is measured, not its refusals), a
// bounded measuring loop, and the archive builder the tests use.
import { build } from "esbuild";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { readRawConfig } from "./deploy-preflight.mjs";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const TIME_LIMIT_MS = 60_000;
/** BENCH_SERVER_LOG (scripts/bench.mjs) reads the whole log; otherwise only its tail is kept. */
const LOG_TAIL = process.env.BENCH_SERVER_LOG ? Infinity : 64 * 1024;

export async function loadArchiveBuilder(dir) {
  const out = join(dir, "archive-builder.mjs");
  await build({
    entryPoints: [join(root, "test/helpers/archive-builder.ts")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    outfile: out,
    logLevel: "error",
    mainFields: ["module", "main"],
  });
  return import(pathToFileURL(out).href);
}

/** dev.vars lines that raise every rate limit, so a benchmark measures the limiter's cost, not its refusals. */
export function raisedLimits() {
  return [
    "RATE_LIMIT_ANONYMOUS_PER_MINUTE",
    "RATE_LIMIT_AUTHENTICATED_PER_MINUTE",
    "RATE_LIMIT_ACCOUNT_PER_MINUTE",
    "RATE_LIMIT_DOWNLOADS_PER_MINUTE",
  ]
    .map((k) => `${k}="100000000"\n`)
    .join("");
}

export function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * The registry in this process, through `npm start`'s runtime (scripts/lean-runtime.mjs), on
 * fresh state under `dir` with the limits raised and the Worker's log lines dropped: for the
 * benchmarks that seed storage through Miniflare's API. Needs Node 22. Returns the runtime and
 * the local secrets (ADMIN_TOKEN…).
 */
export async function startInProcess(dir, port) {
  const { startLeanRuntime } = await import("./lean-runtime.mjs");
  const { ensureLocalSecrets, quietEnv } = await import("./local-secrets.mjs");
  Object.assign(process.env, quietEnv());
  const devVarsPath = join(dir, "dev.vars");
  writeFileSync(devVarsPath, raisedLimits());
  const settings = {
    port,
    host: "127.0.0.1",
    persistTo: join(dir, "state"),
    devVarsPath,
    logOrigin: `localhost:${port}/v1/log`,
  };
  const { vars } = ensureLocalSecrets(settings);
  const runtime = await startLeanRuntime({
    ...settings,
    devVars: vars,
    configPath: join(root, "wrangler.jsonc"),
    onLog: () => undefined,
  });
  return { runtime, vars };
}

export async function startServer(dir, vars = {}, env = {}) {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  // The benchmark measures the limiter's cost, not its refusals: raise the limits for this run.
  writeFileSync(
    join(dir, "dev.vars"),
    raisedLimits() +
      Object.entries(vars)
        .map(([k, v]) => `${k}="${v}"\n`)
        .join(""),
  );
  const child = spawn(process.execPath, [join(root, "scripts/start.mjs")], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      PERSIST_TO: join(dir, "state"),
      DEV_VARS_PATH: join(dir, "dev.vars"),
      WRANGLER_SEND_METRICS: "false",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Only the tail is kept (for an error's message): a request log line per request, thousands a
  // second under load, would otherwise grow one string in this process, on the cores measured.
  let log = "";
  const keep = (d) => {
    log += d;
    if (log.length > 2 * LOG_TAIL) log = log.slice(-LOG_TAIL);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${log}`);
    if (Date.now() > deadline) throw new Error(`the server did not answer /v1/health within 90 s:\n${log}`);
    try {
      if ((await fetch(`${url}/v1/health`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const token = /ADMIN_TOKEN="([^"]+)"/.exec(readFileSync(join(dir, "dev.vars"), "utf8"))[1];
  return { url, token, child, log: () => log };
}

/**
 * Runs `fn` n times with `concurrency` workers (each after `before(i)`, untimed, if given);
 * returns sorted latencies (ms) and wall time.
 */
export async function measure(n, concurrency, fn, { before = null } = {}) {
  const latencies = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < n && performance.now() - started < TIME_LIMIT_MS) {
      const i = next++;
      if (before) await before(i);
      const t0 = performance.now();
      await fn(i);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wall = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return {
    n: latencies.length,
    median: q(0.5),
    p99: q(0.99),
    p25: q(0.25),
    p75: q(0.75),
    rps: (latencies.length / wall) * 1000,
  };
}

export async function ok(res, what) {
  if (!res.ok) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
}

/** Median, min and max of some numbers. */
export function spread(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted[sorted.length - 1] };
}

/**
 * The runtime's own ceiling for a download: a Worker on the same workerd, in the same socket
 * setup as `npm start` (its own socket, no entry worker), that answers every request with the
 * archive's file through workerd's disk service — as the registry answers a large archive under
 * `npm start` (src/storage/archive-files.ts) — and does nothing else. What the registry does per
 * download is the gap to this.
 */
export async function startWorkerdCeiling(bytes, dir) {
  const { miniflarePath } = await import("./lean-runtime.mjs");
  const { Miniflare, Log, LogLevel, convertV4MiniflareOptions } = await import(pathToFileURL(miniflarePath).href);
  const port = await freePort();
  // The registry's own date.
  const compatibilityDate = readRawConfig(join(root, "wrangler.jsonc")).compatibility_date;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "archive.oripk"), bytes);
  const script = `export default { fetch: (_, env) => env.FILES.fetch("http://files/archive.oripk") };`;
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      log: new Log(LogLevel.WARN),
      telemetry: { enabled: false },
      enableDevRegistry: false,
      cf: false,
      workers: [
        {
          name: "ceiling",
          compatibilityDate,
          unsafeDirectSockets: [{ host: "127.0.0.1", port }],
          serviceBindings: { FILES: { disk: { path: dir, writable: false } } },
          modules: [{ type: "ESModule", path: join(root, "ceiling.js"), contents: script }],
        },
      ],
    }),
  );
  try {
    await mf.ready;
  } catch (e) {
    await mf.dispose().catch(() => undefined);
    throw e;
  }
  return { url: `http://127.0.0.1:${port}`, dispose: () => mf.dispose().catch(() => undefined) };
}

/**
 * The profilers' packages (scripts/profile.mjs, profile-runtime.mjs), published to `server`:
 * @bench/small 1.0.0 and @bench/mib 1.0.0 (1 MiB of random bytes, which do not compress).
 * Returns the 1 MiB archive's bytes.
 */
export async function publishProfilePackages(server, dir) {
  const { buildArchive } = await loadArchiveBuilder(dir);
  const payload = new Uint8Array(1024 * 1024);
  for (let i = 0; i < payload.length; i += 65536) crypto.getRandomValues(payload.subarray(i, i + 65536));
  let mib = null;
  for (const [name, files] of [
    ["@bench/small", undefined],
    ["@bench/mib", { "src/blob.bin": payload }],
  ]) {
    const archive = await buildArchive({ name, version: "1.0.0", files });
    if (name === "@bench/mib") mib = archive;
    await ok(
      await fetch(`${server.url}/v1/packages/${name}/publish`, {
        method: "POST",
        headers: { authorization: `Bearer ${server.token}`, "content-type": "application/gzip" },
        body: archive,
      }),
      `publish ${name}`,
    );
  }
  return mib;
}
