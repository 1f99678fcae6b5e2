// `npm run provision -- --env <staging|production> --log-origin <host>/v1/log [--dry-run]`:
// creates what one environment of wrangler.jsonc needs in a Cloudflare account, with wrangler,
// idempotently — R2 buckets, queues and dead-letter queues, the KV namespace (its id is written
// into wrangler.jsonc, replacing the placeholder), and the secrets ADMIN_TOKEN and
// LOG_SIGNING_KEY (generated here; an existing secret is never replaced). Prints the operator
// token and the log's verifier key once. `--dry-run` prints every step and runs nothing: no
// account, no network. See docs/deployment.md.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { applyEdits, modify } from "jsonc-parser";
import { DEPLOYED_ENVS, readRawConfig } from "./deploy-preflight.mjs";
import { generateAdminToken, generateSignerKey } from "./keys.mjs";
import { quietEnv, root } from "./local-secrets.mjs";

const PLACEHOLDER_ID = /^0+$/;
export const SECRETS = ["ADMIN_TOKEN", "LOG_SIGNING_KEY"];

/** A log origin is a URL prefix without the scheme: host[:port]/path, printable, no '+' or spaces (a note key name). */
export function checkLogOrigin(origin) {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(origin))
    return "leave out the scheme: registry.example.org/v1/log, not https://…";
  if (!/^[a-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~%!$&'()*,;=:@/-]*)?$/i.test(origin) || origin.includes("+"))
    return "it must be <host>[:port]/<path>, e.g. registry.example.org/v1/log";
  if (!origin.endsWith("/v1/log")) return "the registry serves its log at /v1/log: the origin should end with /v1/log";
  return null;
}

/** Runs the real wrangler: no telemetry, no banner; its login or CLOUDFLARE_API_TOKEN decide the account. */
function realWrangler(args, { input } = {}) {
  const node22 = join(root, "node_modules", ".bin", "node");
  const bin = join(root, "node_modules", "wrangler", "bin", "wrangler.js");
  const res = spawnSync(existsSync(node22) ? node22 : process.execPath, [bin, ...args], {
    cwd: root,
    env: quietEnv(),
    encoding: "utf8",
    input,
  });
  return { status: res.status ?? 1, stdout: res.stdout ?? "", stderr: res.stderr ?? "" };
}

/** The first JSON array in wrangler's output (it may print a line or two before it). */
function jsonArray(text) {
  const start = text.indexOf("[");
  const end = text.lastIndexOf("]");
  if (start < 0 || end < start) throw new Error(`expected a JSON list from wrangler, got:\n${text}`);
  return JSON.parse(text.slice(start, end + 1));
}

/** Replaces one value in wrangler.jsonc in place, keeping its comments and layout. */
export function writeConfigValue(configPath, path, value) {
  const text = readFileSync(configPath, "utf8");
  const edits = modify(text, path, value, { formattingOptions: { insertSpaces: true, tabSize: 2, eol: "\n" } });
  writeFileSync(configPath, applyEdits(text, edits));
}

/**
 * One environment's provisioning. `wrangler(args, { input })` runs wrangler (tests pass a fake
 * account); with `dryRun` it is never called. Returns what it did, step by step.
 */
export function provision({
  env,
  logOrigin,
  dryRun = false,
  configPath = join(root, "wrangler.jsonc"),
  wrangler = realWrangler,
  log = console.log,
}) {
  if (!DEPLOYED_ENVS.includes(env)) throw new UsageError(`--env must be one of ${DEPLOYED_ENVS.join(", ")}`);
  if (logOrigin !== undefined) {
    const problem = checkLogOrigin(logOrigin);
    if (problem) throw new UsageError(`--log-origin ${JSON.stringify(logOrigin)}: ${problem}`);
  }
  const config = readRawConfig(configPath);
  const section = config.env?.[env];
  if (!section) throw new UsageError(`wrangler.jsonc has no env.${env}`);
  const workerName = section.name ?? `${config.name}-${env}`;
  const done = [];
  const show = (args) => `wrangler ${args.join(" ")}`;
  const run = (args, input) => {
    const res = wrangler(args, { input });
    if (res.status !== 0)
      throw new ProvisionError(`${show(args)} failed (exit ${res.status}):\n${(res.stderr || res.stdout).trim()}`);
    return res.stdout;
  };
  const exists = (args) => wrangler(args, {}).status === 0;
  const step = (text) => {
    done.push(text);
    log(`${dryRun ? "would " : ""}${text}`);
  };
  log(
    `${dryRun ? "Dry run: nothing is created and wrangler is not called. " : ""}Provisioning env.${env} (Worker ${workerName}) from ${configPath}`,
  );

  // Which secrets exist, first: a missing --log-origin stops the run before anything is created.
  let present = [];
  const list = ["secret", "list", "--env", env, "--format", "json"];
  if (dryRun)
    step(`run \`${show(list)}\` to see which of ${SECRETS.join(", ")} exist (a Worker not yet deployed has none)`);
  else {
    const res = wrangler(list, {});
    if (res.status === 0) present = jsonArray(res.stdout).map((s) => s.name);
    else if (!/not.*found|does not exist|10007/i.test(`${res.stdout}${res.stderr}`))
      throw new ProvisionError(`${show(list)} failed:\n${(res.stderr || res.stdout).trim()}`);
    if (!present.includes("LOG_SIGNING_KEY") && logOrigin === undefined) {
      throw new UsageError(
        "LOG_SIGNING_KEY is not set yet: give --log-origin <host>/v1/log (the public URL of the log without the scheme; it never changes)",
      );
    }
  }

  // 1. R2 buckets.
  for (const b of section.r2_buckets ?? []) {
    const info = ["r2", "bucket", "info", b.bucket_name];
    const create = ["r2", "bucket", "create", b.bucket_name];
    if (dryRun) step(`run \`${show(info)}\`, and if it fails \`${show(create)}\``);
    else if (exists(info)) step(`keep R2 bucket ${b.bucket_name} (exists)`);
    else {
      run(create);
      step(`create R2 bucket ${b.bucket_name}`);
    }
  }

  // 2. Queues, dead-letter queues included (a consumer's DLQ must exist before the deploy).
  const queues = new Set();
  for (const p of section.queues?.producers ?? []) queues.add(p.queue);
  for (const c of section.queues?.consumers ?? []) {
    queues.add(c.queue);
    if (c.dead_letter_queue) queues.add(c.dead_letter_queue);
  }
  for (const q of queues) {
    const info = ["queues", "info", q];
    const create = ["queues", "create", q];
    if (dryRun) step(`run \`${show(info)}\`, and if it fails \`${show(create)}\``);
    else if (exists(info)) step(`keep queue ${q} (exists)`);
    else {
      run(create);
      step(`create queue ${q}`);
    }
  }

  // 3. KV namespaces: found by title, created if missing; the id replaces the placeholder.
  (section.kv_namespaces ?? []).forEach((kv, i) => {
    const title = `${workerName}-${kv.binding}`;
    const where = `env.${env}.kv_namespaces[${i}].id`;
    if (kv.id && !PLACEHOLDER_ID.test(kv.id)) {
      step(`keep KV namespace ${kv.binding} (${where} is already ${kv.id})`);
      return;
    }
    if (dryRun) {
      step(
        `run \`wrangler kv namespace list\` to find the namespace titled ${title}, \`wrangler kv namespace create ${title}\` if there is none, and write its id into wrangler.jsonc at ${where}`,
      );
      return;
    }
    const find = () => jsonArray(run(["kv", "namespace", "list"])).find((ns) => ns.title === title);
    let ns = find();
    if (!ns) {
      run(["kv", "namespace", "create", title]);
      ns = find();
      if (!ns)
        throw new ProvisionError(`created KV namespace ${title}, but \`wrangler kv namespace list\` does not show it`);
      step(`create KV namespace ${title} (${ns.id})`);
    } else step(`keep KV namespace ${title} (${ns.id}, exists)`);
    writeConfigValue(configPath, ["env", env, "kv_namespaces", i, "id"], ns.id);
    step(`write ${ns.id} into wrangler.jsonc at ${where} (commit it: the id is not a secret)`);
  });

  // 4. Secrets: generated here, put on standard input (never on a command line), never replaced.
  const printed = {};
  if (!present.includes("ADMIN_TOKEN")) {
    const put = ["secret", "put", "ADMIN_TOKEN", "--env", env];
    if (dryRun)
      step(
        `generate an operator token (scripts/keys.mjs) if ADMIN_TOKEN is missing, \`${show(put)}\` (the value on standard input), and print it once`,
      );
    else {
      const token = generateAdminToken();
      run(put, token);
      printed.adminToken = token;
      step(`put secret ADMIN_TOKEN`);
      // Printed at once: if a later step fails, a re-run keeps this secret and cannot show it again.
      log(`\nOperator token for ${workerName} (shown once; stored only as the secret ADMIN_TOKEN):\n  ${token}\n`);
    }
  } else
    step(
      `keep secret ADMIN_TOKEN (exists; it is never shown again — rotate it with \`wrangler secret put ADMIN_TOKEN --env ${env}\`)`,
    );
  if (!present.includes("LOG_SIGNING_KEY")) {
    const put = ["secret", "put", "LOG_SIGNING_KEY", "--env", env];
    if (dryRun)
      step(
        `generate the log's Ed25519 signing key named ${logOrigin ?? "<--log-origin>"} (scripts/keys.mjs) if LOG_SIGNING_KEY is missing, \`${show(put)}\` (the value on standard input), and print its verifier key`,
      );
    else {
      const key = generateSignerKey(logOrigin);
      run(put, key.signer);
      printed.verifierKey = key.verifier;
      step(`put secret LOG_SIGNING_KEY (origin ${logOrigin})`);
      log(
        `\nThe log's verifier key (publish it where your users will find it; clients pin it; also served at GET /v1/log/key):\n  ${key.verifier}\n`,
      );
    }
  } else
    step(
      `keep secret LOG_SIGNING_KEY (exists: the signing key is never replaced here; see docs/deployment.md, key rotation)`,
    );

  log(`\nNext: \`npm run deploy -- --env ${env}\` (docs/deployment.md).`);
  return { steps: done, ...printed };
}

export class UsageError extends Error {}
export class ProvisionError extends Error {}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        env: { type: "string" },
        "log-origin": { type: "string" },
        "dry-run": { type: "boolean" },
        help: { type: "boolean" },
      },
    }));
  } catch (e) {
    console.error(`error: ${e.message}`);
    process.exit(2);
  }
  if (values.help) {
    console.log("usage: npm run provision -- --env <staging|production> [--log-origin <host>/v1/log] [--dry-run]");
    process.exit(0);
  }
  try {
    provision({ env: values.env, logOrigin: values["log-origin"], dryRun: values["dry-run"] });
  } catch (e) {
    console.error(`error: ${e.message}`);
    process.exit(e instanceof UsageError ? 2 : 1);
  }
}
