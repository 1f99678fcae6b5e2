// `npm run deploy -- --env <staging|production> [wrangler deploy options]`: the checks of
// `npm run deploy:check` with placeholder ids refused in the target environment, then
// `wrangler deploy --env <env>` (for production, after bundling the container entry its image
// holds). There is no deploy without --env: the top level is local only.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DEPLOYED_ENVS } from "./deploy-preflight.mjs";
import { buildDefineArgs } from "./build-info.mjs";
import { deployCheck } from "./deploy-check.mjs";
import { quietEnv, root } from "./local-secrets.mjs";

const argv = process.argv.slice(2);
const i = argv.findIndex((a) => a === "--env" || a.startsWith("--env="));
const env = i < 0 ? undefined : argv[i].includes("=") ? argv[i].split("=")[1] : argv[i + 1];
if (!env || !DEPLOYED_ENVS.includes(env)) {
  console.error(
    `usage: npm run deploy -- --env <${DEPLOYED_ENVS.join("|")}> [wrangler deploy options, e.g. --message "…"]`,
  );
  process.exit(2);
}
const rest = argv.filter((_, j) => j !== i && !(j === i + 1 && !argv[i].includes("=")));

if (!deployCheck({ strict: [env], envs: [env] })) {
  console.error(`\nNot deploying ${env}: fix the errors above (docs/deployment.md).`);
  process.exit(1);
}
if (env === "production") {
  // The container image (container/Dockerfile) holds only the entry's bundle: build it first.
  const { buildContainer } = await import("./build-container.mjs");
  console.log(`\n== built ${await buildContainer()} for the processor's image`);
}
console.log(`\n== wrangler deploy --env ${env} ${rest.join(" ")}`);
const node22 = join(root, "node_modules", ".bin", "node");
const wrangler = join(root, "node_modules", "wrangler", "bin", "wrangler.js");
// The build's version, commit and time, for /v1/health/deep and Sentry's release (scripts/build-info.mjs).
const deployArgs = [wrangler, "deploy", "--env", env, ...buildDefineArgs(root), ...rest];
const res = spawnSync(existsSync(node22) ? node22 : process.execPath, deployArgs, {
  cwd: root,
  stdio: "inherit",
  env: quietEnv(),
});
process.exit(res.status ?? 1);
