// The local settings both local runtimes share (`npm start`, `npm run dev`): PORT, HOST,
// PERSIST_TO, DEV_VARS_PATH, LOG_ORIGIN; the secrets in .dev.vars, generated on first start; and
// the banner. The operator token is printed once, when it is generated; later starts say where
// it is kept, so it does not end up in every terminal scrollback and CI log that shows a start.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateAdminToken, generateSignerKey } from "./keys.mjs";
import { appendDevVars, readDevVars } from "./dev-vars.mjs";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Where and how the local registry runs, from the environment of `npm start` / `npm run dev`. */
export function localSettings(env = process.env) {
  const port = env.PORT ?? "8787";
  return {
    port,
    host: env.HOST ?? "127.0.0.1",
    persistTo: env.PERSIST_TO ?? join(root, ".wrangler", "state"),
    devVarsPath: env.DEV_VARS_PATH ?? join(root, ".dev.vars"),
    // The key's name is the log origin: the log's URL prefix without the scheme. It is signed
    // into every checkpoint, so it is chosen once (on the first start) and kept.
    logOrigin: env.LOG_ORIGIN ?? `localhost:${port}/v1/log`,
  };
}

/** Makes sure ADMIN_TOKEN and LOG_SIGNING_KEY exist in .dev.vars; returns every value in it. */
export function ensureLocalSecrets(settings) {
  const vars = readDevVars(settings.devVarsPath);
  const added = {};
  if (!vars.ADMIN_TOKEN) added.ADMIN_TOKEN = generateAdminToken();
  if (!vars.LOG_SIGNING_KEY) added.LOG_SIGNING_KEY = generateSignerKey(settings.logOrigin).signer;
  if (Object.keys(added).length > 0) {
    appendDevVars(settings.devVarsPath, added);
    console.log(
      `Generated ${Object.keys(added).join(" and ")} into ${settings.devVarsPath} (kept across restarts; not in git).`,
    );
  }
  return { vars: { ...vars, ...added }, generatedAdminToken: added.ADMIN_TOKEN };
}

export function printBanner(settings, generatedAdminToken, runtime) {
  const { host, port, devVarsPath, persistTo } = settings;
  const tokenLine = generatedAdminToken
    ? `export ORI_REGISTRY_TOKEN=${generatedAdminToken}   (shown once: it is ADMIN_TOKEN in ${devVarsPath})`
    : `ADMIN_TOKEN in ${devVarsPath} (printed only when it was generated); to use it:
                                 export ORI_REGISTRY_TOKEN="$(sed -n 's/^ADMIN_TOKEN="\\(.*\\)"$/\\1/p' '${devVarsPath}')"`;
  console.log(`
Ori registry starting on http://${host}:${port} (${runtime})
  operator token (every scope):  ${tokenLine}
  health:                        curl http://${host}:${port}/v1/health
  log verifier key:              curl http://${host}:${port}/v1/log/key
  local state:                   ${persistTo}
`);
}

/**
 * The environment for wrangler and workerd: no telemetry, no banner (its update check is a
 * request to the npm registry), and no local trace store (issue 17 found it ~31% of a request's
 * CPU, and 820 MB on disk after one benchmark; X_LOCAL_OBSERVABILITY=true turns it back on).
 */
export function quietEnv(env = process.env) {
  return {
    ...env,
    WRANGLER_SEND_METRICS: "false",
    CLOUDFLARE_SEND_METRICS: "false",
    WRANGLER_HIDE_BANNER: "true",
    X_LOCAL_OBSERVABILITY: env.X_LOCAL_OBSERVABILITY ?? "false",
  };
}
