// `npm run deploy:check`: everything a deployment needs that can be checked without a Cloudflare
// account or the network — the preflight (scripts/deploy-preflight.mjs), `wrangler types
// --check` on the committed binding types, and `wrangler deploy --dry-run --env <each>`, whose
// bundle's gzip size must stay under the budget. `--strict`: placeholder ids are errors (what
// `npm run deploy` runs). Exits non-zero on any failure.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { DEPLOYED_ENVS, preflight, readRawConfig, report } from "./deploy-preflight.mjs";
import { quietEnv, root } from "./local-secrets.mjs";

/** The budget for the uploaded bundle, gzip-compressed (Workers' own limit is 3 MB on the free plan, 10 MB paid). */
export const BUNDLE_GZIP_BUDGET = 1_000_000;
/** `wrangler types` as the committed types file was generated; `npm run types` runs the same. */
export const TYPES_ARGS = [
  "types",
  "--include-runtime=false",
  "--strict-vars=false",
  "--env-interface=WranglerEnv",
  "src/worker-configuration.d.ts",
];

const configPath = join(root, "wrangler.jsonc");
const outRoot = join(root, ".wrangler", "deploy-check");
const node22 = join(root, "node_modules", ".bin", "node");
const wranglerBin = join(root, "node_modules", "wrangler", "bin", "wrangler.js");

/**
 * Runs wrangler with no account and nothing that phones home: telemetry off, no banner (its
 * update check), no API token in reach, and a config folder of its own (XDG_CONFIG_HOME), so
 * no stored login is found.
 */
export function wrangler(args) {
  const env = quietEnv();
  for (const k of [
    "CLOUDFLARE_API_TOKEN",
    "CLOUDFLARE_API_KEY",
    "CLOUDFLARE_EMAIL",
    "CF_API_TOKEN",
    "CF_API_KEY",
    "CLOUDFLARE_ACCOUNT_ID",
  ])
    delete env[k];
  env.WRANGLER_LOG = env.WRANGLER_LOG ?? "log";
  env.XDG_CONFIG_HOME = join(outRoot, "wrangler-home");
  const res = spawnSync(existsSync(node22) ? node22 : process.execPath, [wranglerBin, ...args], {
    cwd: root,
    env,
    encoding: "utf8",
  });
  return { status: res.status ?? 1, output: `${res.stdout ?? ""}${res.stderr ?? ""}` };
}

/** Gzip size of what would be uploaded: every module in the outdir, not source maps or the README. */
export function bundleGzipSize(dir) {
  let total = 0;
  let raw = 0;
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (!name.endsWith(".map") && name !== "README.md") {
        const bytes = readFileSync(p);
        raw += bytes.length;
        total += gzipSync(bytes).length;
      }
    }
  };
  walk(dir);
  return { raw, gzip: total };
}

const kb = (n) => `${(n / 1000).toFixed(1)} kB`;

const indent = (text) =>
  text
    .trim()
    .split("\n")
    .map((l) => `   ${l}`)
    .join("\n");

/**
 * The whole check; returns true when it passed. `strict`: placeholder ids are errors (true: in
 * every environment; a list: in those). `envs`: the environments to dry-run.
 */
export function deployCheck({ strict = false, envs = DEPLOYED_ENVS } = {}) {
  let ok = true;
  const step = (name) => console.log(`\n== ${name}`);

  step(
    `preflight${strict ? ` (placeholders are errors in ${strict === true ? "every environment" : strict.join(", ")})` : ""}`,
  );
  const config = readRawConfig(configPath);
  const findings = preflight(config, { strict });
  ok = report(findings) && ok;
  if (findings.errors.length === 0)
    console.log(`ok (${findings.warnings.length} warning${findings.warnings.length === 1 ? "" : "s"})`);

  step(`wrangler ${TYPES_ARGS.join(" ")} --check`);
  const types = wrangler([...TYPES_ARGS, "--check"]);
  if (types.status !== 0) {
    console.log(indent(types.output));
    console.log(
      "ERROR: the binding types are out of date: run `npm run types` and commit src/worker-configuration.d.ts.",
    );
    ok = false;
  } else console.log("ok: src/worker-configuration.d.ts matches wrangler.jsonc");

  rmSync(outRoot, { recursive: true, force: true });
  for (const env of envs) {
    const outdir = join(outRoot, env);
    const section = config.env?.[env] ?? {};
    const args = ["deploy", "--dry-run", "--env", env, "--outdir", outdir];
    // A dry run must not build container images (no Docker here, nothing to upload).
    if (Array.isArray(section.containers) && section.containers.length > 0) args.push("--containers-rollout=none");
    step(`wrangler ${args.map((a) => (a === outdir ? relative(root, outdir) : a)).join(" ")}`);
    const res = wrangler(args);
    console.log(indent(res.output));
    if (res.status !== 0 || !existsSync(join(outdir, "index.js"))) {
      console.log(`ERROR: the dry run of ${env} failed (exit ${res.status})`);
      ok = false;
      continue;
    }
    const size = bundleGzipSize(outdir);
    const over = size.gzip > BUNDLE_GZIP_BUDGET;
    console.log(
      `bundle (${env}): ${kb(size.raw)}, gzip ${kb(size.gzip)} of the ${kb(BUNDLE_GZIP_BUDGET)} budget (${((size.gzip / BUNDLE_GZIP_BUDGET) * 100).toFixed(1)}%)${over ? " — ERROR: OVER BUDGET" : ""}`,
    );
    if (over) ok = false;
  }
  return ok;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const ok = deployCheck({ strict: process.argv.includes("--strict") });
  console.log(ok ? "\ndeploy:check passed" : "\ndeploy:check FAILED");
  process.exit(ok ? 0 : 1);
}
