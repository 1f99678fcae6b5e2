// The deployment preflight: rules wrangler does not check, on the raw wrangler.jsonc. Each
// finding names the environment and says exactly what to run or change. Placeholder ids are a
// warning for the dry run CI does ("not provisioned yet") and an error for a real deploy
// (`npm run deploy`, or `npm run deploy:check -- --strict`); every other finding is an error.
import { readFileSync } from "node:fs";
import { parse, printParseErrorCode } from "jsonc-parser";

/** The environments that are deployed; the top level is local only. */
export const DEPLOYED_ENVS = ["staging", "production"];

/** Settings that exist for tests or `npm start` only and must never reach a deployment: who sets each. */
export const TEST_ONLY_NAMES = {
  ALLOW_FAULT_INJECTION: "vitest.config.ts",
  LOCAL_TRIGGERS: "scripts/lean-runtime.mjs, for npm start",
  // Downloads answer its files without asking R2: only npm start's own directory may be it.
  ARCHIVE_FILES: "scripts/lean-runtime.mjs, for npm start, as a directory of the local state",
};

/**
 * Bindings an environment may have that the top level (local dev and tests) has not: the
 * package processor's container, production only (optional in src/env.ts).
 */
export const ENV_ONLY_BINDINGS = { staging: [], production: ["PROCESSOR_CONTAINER"] };

/** Reads wrangler.jsonc as written (comments and trailing commas allowed), or throws. */
export function readRawConfig(path) {
  const errors = [];
  const config = parse(readFileSync(path, "utf8"), errors, { allowTrailingComma: true });
  if (errors.length > 0) {
    const e = errors[0];
    throw new Error(`${path}: ${printParseErrorCode(e.error)} at offset ${e.offset}`);
  }
  return config;
}

const PLACEHOLDER_ID = /^0+$/;

function provisionHint(env) {
  return `run \`npm run provision -- --env ${env} --log-origin <host>/v1/log\` (it creates the resources and writes the ids into wrangler.jsonc; docs/deployment.md)`;
}

/** Every binding name the Worker sees, by kind, in one environment's (or the top level's) config. */
export function bindingNames(section) {
  const names = (list, key) =>
    Array.isArray(list) ? list.map((b) => b?.[key]).filter((n) => typeof n === "string") : [];
  return {
    r2_buckets: names(section.r2_buckets, "binding"),
    kv_namespaces: names(section.kv_namespaces, "binding"),
    durable_objects: names(section.durable_objects?.bindings, "name"),
    queue_producers: names(section.queues?.producers, "binding"),
    d1_databases: names(section.d1_databases, "binding"),
    services: names(section.services, "binding"),
    analytics_engine_datasets: names(section.analytics_engine_datasets, "binding"),
    ratelimits: names(section.ratelimits, "name"),
    vars: Object.keys(section.vars ?? {}),
    secrets: Array.isArray(section.secrets?.required) ? section.secrets.required : [],
  };
}

/**
 * Migrations must be v1, v2, … in order with no duplicate or missing tag; a class is created
 * once, and renamed, transferred or deleted only after it exists. Returns the problems and the
 * classes alive at the end.
 */
export function checkMigrations(migrations) {
  const problems = [];
  const live = new Set();
  if (!Array.isArray(migrations)) return { problems: ['has no "migrations" list'], live };
  migrations.forEach((m, i) => {
    const want = `v${i + 1}`;
    if (m?.tag !== want) {
      const seen = migrations.slice(0, i).some((p) => p?.tag === m?.tag);
      problems.push(
        seen
          ? `migration tag ${JSON.stringify(m?.tag)} appears twice`
          : `migration #${i + 1} is tagged ${JSON.stringify(m?.tag)}: tags must be v1, v2, … in order (append new migrations at the end, never insert or renumber)`,
      );
    }
    for (const cls of [...(m?.new_classes ?? []), ...(m?.new_sqlite_classes ?? [])]) {
      if (live.has(cls)) problems.push(`migration ${m.tag} creates ${cls}, which already exists`);
      live.add(cls);
    }
    for (const r of m?.renamed_classes ?? []) {
      if (!live.has(r.from)) problems.push(`migration ${m.tag} renames ${r.from}, which does not exist`);
      live.delete(r.from);
      live.add(r.to);
    }
    for (const t of m?.transferred_classes ?? []) {
      if (!live.has(t.to)) live.add(t.to);
    }
    for (const cls of m?.deleted_classes ?? []) {
      if (!live.has(cls)) problems.push(`migration ${m.tag} deletes ${cls}, which does not exist`);
      live.delete(cls);
    }
  });
  return { problems, live };
}

/**
 * Whether `name` is a key or a string value anywhere in a section (its environments aside): a
 * var, a secret, or a binding of any kind (services, assets, workflows, unsafe…).
 */
function mentions(section, name, top = true) {
  if (typeof section === "string") return section === name;
  if (Array.isArray(section)) return section.some((v) => mentions(v, name, false));
  if (!section || typeof section !== "object") return false;
  return Object.entries(section).some(([k, v]) => (!top || k !== "env") && (k === name || mentions(v, name, false)));
}

const sameMigration = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** `shorter` must be the first entries of `longer`, entry for entry. */
function isPrefix(shorter, longer) {
  return shorter.length <= longer.length && shorter.every((m, i) => sameMigration(m, longer[i]));
}

function findPlaceholders(section, path, out) {
  if (Array.isArray(section)) {
    section.forEach((v, i) => findPlaceholders(v, `${path}[${i}]`, out));
  } else if (section && typeof section === "object") {
    for (const [k, v] of Object.entries(section)) {
      if ((k === "id" || k.endsWith("_id")) && typeof v === "string" && PLACEHOLDER_ID.test(v))
        out.push(`${path}.${k}`);
      else findPlaceholders(v, `${path}.${k}`, out);
    }
  }
}

/**
 * Runs every rule; returns { errors, warnings }, each a list of { env, message }. `strict`:
 * placeholder ids are errors — in every environment (true) or in those listed.
 */
export function preflight(config, { strict = false } = {}) {
  const isStrict = (env) => strict === true || (Array.isArray(strict) && strict.includes(env));
  const errors = [];
  const warnings = [];
  const err = (env, message) => errors.push({ env, message });
  const top = config ?? {};
  const topNames = bindingNames(top);
  const topMigrations = checkMigrations(top.migrations);

  // Test-only settings, anywhere (a bare `wrangler deploy` would ship the top level).
  for (const [where, section] of [["top level", top], ...DEPLOYED_ENVS.map((e) => [e, top.env?.[e] ?? {}])]) {
    for (const [name, setter] of Object.entries(TEST_ONLY_NAMES)) {
      if (mentions(section, name)) {
        err(where, `${name} is test-only (${setter} sets it): remove it from wrangler.jsonc`);
      }
    }
  }
  for (const p of topMigrations.problems) err("top level", p);

  for (const env of DEPLOYED_ENVS) {
    const section = top.env?.[env];
    if (!section) {
      err(env, `wrangler.jsonc has no env.${env}`);
      continue;
    }
    const names = bindingNames(section);
    // Bindings and settings are not inherited: each environment must declare what the code uses.
    for (const [kind, list] of Object.entries(topNames)) {
      for (const name of list) {
        if (!names[kind].includes(name))
          err(
            env,
            `${kind} ${name} is declared at the top level but not in env.${env}: environments inherit no bindings, vars or secrets, so copy it there`,
          );
      }
      for (const name of names[kind]) {
        if (!list.includes(name) && !ENV_ONLY_BINDINGS[env].includes(name)) {
          err(
            env,
            `${kind} ${name} is in env.${env} but not at the top level: the local runtime and the tests would not have it (add it there too, or list it in ENV_ONLY_BINDINGS in scripts/deploy-preflight.mjs)`,
          );
        }
      }
    }

    const migrations = checkMigrations(section.migrations);
    for (const p of migrations.problems) err(env, p);
    for (const b of section.durable_objects?.bindings ?? []) {
      if (!b.script_name && !migrations.live.has(b.class_name))
        err(env, `Durable Object ${b.name} uses class ${b.class_name}, which no migration of env.${env} creates`);
    }

    const consumers = section.queues?.consumers ?? [];
    for (const c of consumers) {
      // The consumer of another consumer's dead-letter queue keeps what reaches it: it needs none itself.
      if (consumers.some((o) => o !== c && o.dead_letter_queue === c.queue)) continue;
      if (!c.dead_letter_queue)
        err(env, `the consumer of ${c.queue} has no dead_letter_queue: a message that fails every retry would be lost`);
      else if (c.dead_letter_queue === c.queue)
        err(env, `the consumer of ${c.queue} uses its own queue as the dead-letter queue`);
    }
    if (section.triggers !== undefined && !Array.isArray(section.triggers?.crons))
      err(env, `triggers.crons must be a list of cron expressions`);

    const placeholders = [];
    findPlaceholders(section, `env.${env}`, placeholders);
    for (const p of placeholders) {
      (isStrict(env) ? errors : warnings).push({
        env,
        message: `${p} is a placeholder (not provisioned yet): ${provisionHint(env)}`,
      });
    }
    if (section.containers !== undefined && env !== "production") err(env, `containers are for production only`);
  }

  // Migrations: production never runs one staging has not; the tests run every one staging does.
  const stagingM = top.env?.staging?.migrations ?? [];
  const productionM = top.env?.production?.migrations ?? [];
  if (Array.isArray(stagingM) && Array.isArray(productionM) && !isPrefix(productionM, stagingM)) {
    err(
      "production",
      `env.production.migrations must be the first entries of env.staging.migrations, unchanged (a migration reaches staging first)`,
    );
  }
  if (Array.isArray(stagingM) && Array.isArray(top.migrations) && !isPrefix(stagingM, top.migrations)) {
    err(
      "staging",
      `env.staging.migrations must be the first entries of the top-level migrations, unchanged (the tests run the top level)`,
    );
  }

  // Environments never share a resource: staging must not write production's data.
  const resources = (section) => [
    ...(section?.r2_buckets ?? []).map((b) => `R2 bucket ${b.bucket_name}`),
    ...(section?.kv_namespaces ?? [])
      .filter((k) => !PLACEHOLDER_ID.test(k.id ?? ""))
      .map((k) => `KV namespace ${k.id}`),
    ...(section?.queues?.producers ?? []).map((q) => `queue ${q.queue}`),
    ...(section?.queues?.consumers ?? []).flatMap((q) => [
      `queue ${q.queue}`,
      ...(q.dead_letter_queue ? [`queue ${q.dead_letter_queue}`] : []),
    ]),
  ];
  const staging = new Set(resources(top.env?.staging));
  const local = new Set(resources(top));
  for (const r of new Set(resources(top.env?.production))) {
    if (staging.has(r)) err("production", `${r} is also staging's: each environment needs its own`);
    if (local.has(r)) err("production", `${r} is also the top level's (local) one: give production its own`);
  }
  for (const r of staging)
    if (local.has(r)) err("staging", `${r} is also the top level's (local) one: give staging its own`);
  return { errors, warnings };
}

/** Prints findings; returns true when there is no error. */
export function report({ errors, warnings }, log = console.log) {
  for (const w of warnings) log(`preflight warning [${w.env}]: ${w.message}`);
  for (const e of errors) log(`preflight ERROR [${e.env}]: ${e.message}`);
  return errors.length === 0;
}
