// `npm start`: makes sure the local secrets exist in .dev.vars (generating them on first start),
// prints how to use them, then runs the registry in workerd through `wrangler dev` with its
// state persisted under .wrangler/state. Honours PORT (default 8787) and HOST (127.0.0.1).
// The operator token is printed once, when it is generated; later starts say where it is kept,
// so it does not end up in every terminal scrollback and CI log that shows a start.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { generateAdminToken, generateSignerKey } from "./keys.mjs";
import { appendDevVars, readDevVars } from "./dev-vars.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const devVarsPath = process.env.DEV_VARS_PATH ?? join(root, ".dev.vars");
const port = process.env.PORT ?? "8787";
const host = process.env.HOST ?? "127.0.0.1";
const persistTo = process.env.PERSIST_TO ?? join(root, ".wrangler", "state");

const vars = readDevVars(devVarsPath);
const added = {};
if (!vars.ADMIN_TOKEN) added.ADMIN_TOKEN = generateAdminToken();
if (!vars.LOG_SIGNING_KEY) {
  // The key's name is the log origin: the log's URL prefix without the scheme. It is signed
  // into every checkpoint, so it is chosen once and kept.
  const origin = process.env.LOG_ORIGIN ?? `localhost:${port}/v1/log`;
  added.LOG_SIGNING_KEY = generateSignerKey(origin).signer;
}
if (Object.keys(added).length > 0) {
  appendDevVars(devVarsPath, added);
  console.log(`Generated ${Object.keys(added).join(" and ")} into ${devVarsPath} (kept across restarts; not in git).`);
}
const tokenLine = added.ADMIN_TOKEN
  ? `export ORI_REGISTRY_TOKEN=${added.ADMIN_TOKEN}   (shown once: it is ADMIN_TOKEN in ${devVarsPath})`
  : `ADMIN_TOKEN in ${devVarsPath} (printed only when it was generated); to use it:
                                 export ORI_REGISTRY_TOKEN="$(sed -n 's/^ADMIN_TOKEN="\\(.*\\)"$/\\1/p' '${devVarsPath}')"`;

console.log(`
Ori registry starting on http://${host}:${port}
  operator token (every scope):  ${tokenLine}
  health:                        curl http://${host}:${port}/v1/health
  log verifier key:              curl http://${host}:${port}/v1/log/key
  local state:                   ${persistTo}
`);

// Wrangler needs Node.js 22: run it on the node@22 devDependency whatever node started us.
const node22 = join(root, "node_modules", ".bin", "node");
const wrangler = join(root, "node_modules", "wrangler", "bin", "wrangler.js");
const args = [wrangler, "dev", "--ip", host, "--port", port, "--persist-to", persistTo, "--env-file", devVarsPath, "--show-interactive-dev-session=false"];
const child = spawn(existsSync(node22) ? node22 : process.execPath, args, {
  cwd: root,
  stdio: "inherit",
  // No telemetry, and no banner: the banner's update check is a request to the npm registry.
  env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_SEND_METRICS: "false", WRANGLER_HIDE_BANNER: "true" },
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
