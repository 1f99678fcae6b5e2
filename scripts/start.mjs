// `npm start`: the lean local runtime. The Worker runs in workerd through Miniflare's API (the
// Miniflare that wrangler ships), with no development proxy, no live reload, no per-request log
// line and no local trace store: a quarter to a fifth of the CPU per request of the old,
// wrangler-dev-based start, a third of `npm run dev`'s (docs/performance.md). Bindings, queue consumers, crons and migrations come from wrangler.jsonc
// (read by wrangler itself), state from the same folder `wrangler dev` uses (.wrangler/state), so
// `npm start` and `npm run dev` (the watch mode, scripts/dev.mjs) read each other's data.
// With PROCESSING_BACKEND=container, the container entry runs beside it as a local process
// (scripts/local-processor.mjs) and the Worker's pipeline jobs reach it over HTTP
// (docs/processing.md).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ensureLocalSecrets, localSettings, printBanner, quietEnv, root } from "./local-secrets.mjs";

const NODE_MAJOR = Number(process.versions.node.split(".")[0]);
const node22 = join(root, "node_modules", ".bin", "node");

if (NODE_MAJOR < 22 && existsSync(node22)) {
  // Miniflare needs Node.js 22: run this script again on the node@22 devDependency.
  const child = spawn(node22, [process.argv[1], ...process.argv.slice(2)], { stdio: "inherit", env: quietEnv() });
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  Object.assign(process.env, quietEnv());
  const { startLeanRuntime } = await import("./lean-runtime.mjs");
  const settings = localSettings();
  const { vars, generatedAdminToken } = ensureLocalSecrets(settings);
  printBanner(settings, generatedAdminToken, "workerd through Miniflare; `npm run dev` reloads on change");
  let runtime;
  let processor = null;
  try {
    const extraBindings = {};
    if (process.env.PROCESSING_BACKEND === "container") {
      const { startLocalProcessor } = await import("./local-processor.mjs");
      processor = await startLocalProcessor();
      Object.assign(extraBindings, { PROCESSING_BACKEND: "container", PROCESSOR_URL: processor.url });
      console.log(`Processing and scanning in the container entry at ${processor.url} (pid ${processor.pid})`);
    } else if (process.env.PROCESSING_BACKEND && process.env.PROCESSING_BACKEND !== "inline") {
      throw new Error(
        `PROCESSING_BACKEND is ${JSON.stringify(process.env.PROCESSING_BACKEND)}: use inline or container`,
      );
    }
    runtime = await startLeanRuntime({
      ...settings,
      devVars: vars,
      extraBindings,
      configPath: join(root, "wrangler.jsonc"),
    });
  } catch (err) {
    console.error(`The registry did not start: ${err?.stack ?? err}`);
    await processor?.stop();
    process.exit(1);
  }
  console.log(`Ready on ${runtime.url}`);
  let stopping = false;
  for (const sig of ["SIGINT", "SIGTERM"]) {
    process.on(sig, () => {
      if (stopping) return;
      stopping = true;
      Promise.all([runtime.dispose(), processor?.stop()]).then(
        () => process.exit(0),
        (err) => {
          console.error(err);
          process.exit(1);
        },
      );
    });
  }
}
