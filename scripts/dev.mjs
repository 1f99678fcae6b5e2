// `npm run dev`: the watch mode. `wrangler dev` rebuilds and reloads the Worker when a source
// changes, behind wrangler's development proxy. Same settings, secrets and state folder as
// `npm start` (scripts/start.mjs, the lean runtime), so either can read what the other wrote.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { buildDefineArgs } from "./build-info.mjs";
import { ensureLocalSecrets, localSettings, printBanner, quietEnv, root } from "./local-secrets.mjs";

const settings = localSettings();
const { generatedAdminToken } = ensureLocalSecrets(settings);
printBanner(settings, generatedAdminToken, "wrangler dev, reloads on change");

// Wrangler needs Node.js 22: run it on the node@22 devDependency whatever node started us.
const node22 = join(root, "node_modules", ".bin", "node");
const wrangler = join(root, "node_modules", "wrangler", "bin", "wrangler.js");
const { host, port, persistTo, devVarsPath } = settings;
const args = [
  wrangler,
  "dev",
  "--ip",
  host,
  "--port",
  port,
  "--persist-to",
  persistTo,
  "--env-file",
  devVarsPath,
  "--show-interactive-dev-session=false",
  // The build's version, commit and time, as /v1/health/deep reports them (scripts/build-info.mjs).
  ...buildDefineArgs(root),
];
const child = spawn(existsSync(node22) ? node22 : process.execPath, args, {
  cwd: root,
  stdio: "inherit",
  env: quietEnv(),
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
