// The Worker in workerd through Miniflare's API, configured from wrangler.jsonc by wrangler's own
// reader (unstable_getMiniflareWorkerOptions, what the Vitest integration uses), bundled by
// esbuild with the options wrangler bundles with. Used by `npm start` (scripts/start.mjs).
import { mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildDefine } from "./build-info.mjs";

// The Miniflare wrangler depends on (and so the workerd it was built for), not another copy.
export const miniflarePath = createRequire(createRequire(import.meta.url).resolve("wrangler")).resolve("miniflare");

/** Secrets the Worker reads when they are set (wrangler.jsonc can list only required ones). */
export const OPTIONAL_SECRETS = ["SENTRY_DSN"];

/**
 * Reads the top-level (local) environment of wrangler.jsonc into Miniflare worker options.
 * Bindings are the config's `vars`, overridden by the local secrets file (.dev.vars) for every
 * name the config declares as a var or a required secret — what `wrangler dev` takes from it.
 * Unlike wrangler dev, the process environment is not read: the Worker gets exactly the values
 * in the file, the ones the banner points to.
 */
export async function localWorkerOptions({ configPath, devVarsPath, devVars, warn = console.warn }) {
  // wrangler's reader says which secrets file it read; the banner already did.
  process.env.WRANGLER_LOG ??= "warn";
  const wrangler = await import("wrangler");
  const config = wrangler.unstable_readConfig({ config: configPath });
  // envFiles: the local secrets file only, so wrangler does not also read the project's .dev.vars.
  const { workerOptions, main, define } = wrangler.unstable_getMiniflareWorkerOptions(config, undefined, {
    envFiles: [devVarsPath],
  });
  const declared = new Set([
    ...Object.keys(config.vars ?? {}),
    ...(config.secrets?.required ?? []),
    ...OPTIONAL_SECRETS,
  ]);
  const fromConfig = Object.fromEntries(
    Object.entries(workerOptions.bindings ?? {}).filter(([k]) => k in (config.vars ?? {})),
  );
  const fromFile = Object.fromEntries(Object.entries(devVars).filter(([k]) => declared.has(k)));
  const ignored = Object.keys(devVars).filter((k) => !declared.has(k));
  if (ignored.length > 0)
    warn(`Ignoring ${ignored.join(", ")} in ${devVarsPath}: wrangler.jsonc declares no such var or secret.`);
  return {
    name: config.name,
    main,
    define,
    workerOptions: { ...workerOptions, bindings: { ...fromConfig, ...fromFile } },
  };
}

/** Bundles the Worker as `wrangler deploy` does (ES modules, es2024, workerd conditions). */
export async function bundleWorker(main, define = {}) {
  const { build, stop } = await import("esbuild");
  const nodeEnv = JSON.stringify(process.env.NODE_ENV || "development");
  const result = await build({
    entryPoints: [main],
    bundle: true,
    write: false,
    format: "esm",
    target: "es2024",
    supported: { "import-source": true, using: true },
    conditions: ["workerd", "worker", "browser"],
    // The runtime's own modules (cloudflare:workers, cloudflare:sockets…), as wrangler leaves them.
    external: ["cloudflare:*"],
    outfile: "index.js",
    sourcemap: false,
    logLevel: "error",
    define: {
      "process.env.NODE_ENV": nodeEnv,
      "global.process.env.NODE_ENV": nodeEnv,
      "globalThis.process.env.NODE_ENV": nodeEnv,
      ...define,
    },
  });
  // esbuild's service process is not needed once the bundle is built.
  await stop();
  return result.outputFiles[0].text;
}

/**
 * Starts the registry: one workerd process, listening on host:port, state under persistTo
 * (the layout `wrangler dev --persist-to` writes: <persistTo>/v3/{r2,kv,do,…}). `onLog`, if
 * given, receives the Worker's console lines instead of the terminal, and Miniflare's own info
 * lines (queue batches…) are left out too: the web bench prints only its tables.
 */
export async function startLeanRuntime({
  configPath,
  host,
  port,
  persistTo,
  devVarsPath,
  devVars,
  extraBindings = {},
  onLog,
}) {
  const { Miniflare, Log, LogLevel, convertV4MiniflareOptions } = await import(pathToFileURL(miniflarePath).href);
  const { name, main, define, workerOptions } = await localWorkerOptions({ configPath, devVarsPath, devVars });
  // The build's version, commit and time, as /v1/health/deep reports them (scripts/build-info.mjs).
  const script = await bundleWorker(main, { ...define, ...buildDefine(dirname(configPath)) });
  // wrangler's reader speaks Miniflare's v4 option shape; wrangler converts it the same way.
  // Emptied on every start: another runtime on the same state (`npm run dev`) removes archives
  // without barring their files (src/storage/archive-files.ts).
  const archiveFiles = join(persistTo, "archive-files");
  rmSync(archiveFiles, { recursive: true, force: true });
  mkdirSync(archiveFiles, { recursive: true });
  const options = convertV4MiniflareOptions({
    // Miniflare's entry worker (routing, Request.cf, pretty error pages): on a loopback port of
    // its own, which nothing uses; clients reach the Worker's own socket below.
    host: "127.0.0.1",
    port: 0,
    log: new Log(onLog ? LogLevel.WARN : LogLevel.INFO),
    logRequests: false,
    telemetry: { enabled: false },
    enableDevRegistry: false,
    // Request.cf of the entry worker: Miniflare's placeholder, never the copy it would download
    // from Cloudflare. The Worker's own socket gets none (a client may send one: MF-CF-Blob).
    cf: false,
    resourcePersistencePath: join(persistTo, "v3"),
    // INSPECTOR_PORT=9229: Chrome DevTools (or scripts/profile.mjs) attach to the Worker's isolate.
    ...(process.env.INSPECTOR_PORT ? { inspectorPort: Number(process.env.INSPECTOR_PORT) } : {}),
    // The local trace store: off (X_LOCAL_OBSERVABILITY=true turns it on, as for wrangler dev).
    unsafeObservability: process.env.X_LOCAL_OBSERVABILITY === "true",
    // The Worker's console lines; by default Miniflare prints them (a caller may keep them instead).
    ...(onLog ? { handleStructuredLogs: onLog } : {}),
    workers: [
      {
        ...workerOptions,
        // What start.mjs adds (the local container entry's URL), over the config's and the file's;
        // LOCAL_TRIGGERS: the Worker answers GET /cdn-cgi/local/scheduled?cron=… itself, as
        // Miniflare's entry worker does in wrangler dev (src/local-trigger.ts).
        bindings: { ...workerOptions.bindings, ...extraBindings, LOCAL_TRIGGERS: "true" },
        // Archives by sha256 in a directory of the state, served by workerd itself: the local
        // stand-in for the edge keeping downloads (src/storage/archive-files.ts).
        serviceBindings: {
          ...workerOptions.serviceBindings,
          ARCHIVE_FILES: { disk: { path: archiveFiles, writable: true } },
        },
        name,
        // The Worker's own socket on host:port — no entry worker in front. DECISION (issue 17,
        // docs/performance.md): that hop cost more than half of a /v1/health's CPU.
        unsafeDirectSockets: [{ host, port: Number(port) }],
        modules: [{ type: "ESModule", path: join(dirname(configPath), "index.js"), contents: script }],
      },
    ],
  });
  const mf = new Miniflare(options);
  await mf.ready;
  const url = await mf.unsafeGetDirectURL(name);
  return { url: url.href.replace(/\/$/, ""), miniflare: mf, dispose: () => mf.dispose() };
}
