// The deployment preflight against the committed wrangler.jsonc and against copies of it with
// one thing wrong each: every rule refuses what it is for, and names the environment.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkMigrations, preflight, readRawConfig } from "./deploy-preflight.mjs";

const committed = readRawConfig(join(import.meta.dirname, "..", "wrangler.jsonc"));
const copy = () => structuredClone(committed);
const messages = (list) => list.map((f) => `[${f.env}] ${f.message}`);
const REAL_ID = "0f2a4c6e8b1d3f5a7c9e0b2d4f6a8c1e";

describe("the committed wrangler.jsonc", () => {
  it("passes, with one warning per deployed environment: its KV id is not provisioned yet", () => {
    const { errors, warnings } = preflight(committed);
    expect(messages(errors)).toEqual([]);
    expect(warnings.map((w) => w.env)).toEqual(["staging", "production"]);
    for (const w of warnings) expect(w.message).toContain(`npm run provision -- --env ${w.env}`);
  });

  it("refuses the placeholders for a real deploy (strict), in every environment or only the one deployed", () => {
    expect(preflight(committed, { strict: true }).errors.map((e) => e.env)).toEqual(["staging", "production"]);
    const onlyProduction = preflight(committed, { strict: ["production"] });
    expect(onlyProduction.errors.map((e) => e.env)).toEqual(["production"]);
    expect(onlyProduction.warnings.map((e) => e.env)).toEqual(["staging"]);
  });

  it("passes strict once the ids are real", () => {
    const c = copy();
    c.env.staging.kv_namespaces[0].id = REAL_ID;
    c.env.production.kv_namespaces[0].id = REAL_ID.replace("0f", "1f");
    expect(preflight(c, { strict: true })).toEqual({ errors: [], warnings: [] });
  });
});

describe("test-only settings", () => {
  it.each([
    [
      "ALLOW_FAULT_INJECTION",
      "production vars",
      (c) => (c.env.production.vars.ALLOW_FAULT_INJECTION = "true"),
      "production",
    ],
    [
      "ALLOW_FAULT_INJECTION",
      "staging vars, even false",
      (c) => (c.env.staging.vars.ALLOW_FAULT_INJECTION = "false"),
      "staging",
    ],
    [
      "ALLOW_FAULT_INJECTION",
      "a required secret",
      (c) => c.env.production.secrets.required.push("ALLOW_FAULT_INJECTION"),
      "production",
    ],
    [
      "ALLOW_FAULT_INJECTION",
      "the top level (a bare `wrangler deploy` ships it)",
      (c) => (c.vars.ALLOW_FAULT_INJECTION = "true"),
      "top level",
    ],
    // npm start's trigger route (src/local-trigger.ts).
    ["LOCAL_TRIGGERS", "production vars", (c) => (c.env.production.vars.LOCAL_TRIGGERS = "true"), "production"],
    ["LOCAL_TRIGGERS", "the top level", (c) => (c.vars.LOCAL_TRIGGERS = "true"), "top level"],
    // npm start's archive files (src/storage/archive-files.ts), bound as a service anywhere.
    [
      "ARCHIVE_FILES",
      "production services",
      (c) => (c.env.production.services = [{ binding: "ARCHIVE_FILES", service: "files" }]),
      "production",
    ],
    ["ARCHIVE_FILES", "the top level", (c) => (c.services = [{ binding: "ARCHIVE_FILES", service: "x" }]), "top level"],
    [
      "ARCHIVE_FILES",
      "staging assets",
      (c) => (c.env.staging.assets = { binding: "ARCHIVE_FILES", directory: "x" }),
      "staging",
    ],
  ])("refuses %s in %s", (name, _, mutate, env) => {
    const c = copy();
    mutate(c);
    const { errors } = preflight(c);
    expect(errors.some((e) => e.env === env && e.message.startsWith(`${name} is test-only`))).toBe(true);
  });
});

describe("migrations", () => {
  const v1 = committed.migrations[0];
  const v2 = { tag: "v2", new_sqlite_classes: ["Monitor"] };

  it("accepts v1, v2, … appended in order", () => {
    expect(checkMigrations([v1, v2])).toEqual({ problems: [], live: new Set([...v1.new_sqlite_classes, "Monitor"]) });
  });

  it.each([
    ["out of order", [v2, v1], /migration #1 is tagged "v2"/],
    ["a duplicate tag", [v1, { ...v2, tag: "v1" }], /"v1" appears twice/],
    ["a missing tag", [v1, { ...v2, tag: "v3" }], /migration #2 is tagged "v3"/],
    [
      "a class created twice",
      [v1, { tag: "v2", new_sqlite_classes: ["PackageWriter"] }],
      /creates PackageWriter, which already exists/,
    ],
    [
      "a deleted class that never existed",
      [v1, { tag: "v2", deleted_classes: ["Nope"] }],
      /deletes Nope, which does not exist/,
    ],
    [
      "a renamed class that never existed",
      [v1, { tag: "v2", renamed_classes: [{ from: "Nope", to: "Yes" }] }],
      /renames Nope/,
    ],
  ])("refuses %s", (_, list, pattern) => {
    expect(checkMigrations(list).problems.join("\n")).toMatch(pattern);
  });

  it("refuses unordered migrations in a deployed environment", () => {
    const c = copy();
    c.env.staging.migrations = [v2, v1];
    expect(messages(preflight(c).errors).join("\n")).toMatch(/\[staging\] migration #1 is tagged "v2"/);
  });

  it("refuses a production migration that staging has not run, and a staging one the tests do not run", () => {
    const c = copy();
    c.env.production.migrations = [v1, v2];
    expect(messages(preflight(c).errors)).toContain(
      "[production] env.production.migrations must be the first entries of env.staging.migrations, unchanged (a migration reaches staging first)",
    );
    // The committed migrations and one more (the config's own list may already hold several).
    const next = { tag: `v${committed.migrations.length + 1}`, new_sqlite_classes: ["Monitor"] };
    const d = copy();
    d.env.staging.migrations = [...committed.migrations, next];
    d.env.production.migrations = [...committed.migrations];
    expect(messages(preflight(d).errors)).toContain(
      "[staging] env.staging.migrations must be the first entries of the top-level migrations, unchanged (the tests run the top level)",
    );
    d.migrations = [...committed.migrations, next];
    expect(preflight(d).errors).toEqual([]);
  });

  it("refuses a migration edited after the fact (staging's v1 differs from the top level's)", () => {
    const c = copy();
    c.env.staging.migrations = [{ tag: "v1", new_sqlite_classes: v1.new_sqlite_classes.slice(1) }];
    expect(messages(preflight(c).errors).join("\n")).toMatch(
      /\[staging\] env.staging.migrations must be the first entries/,
    );
  });

  it("refuses a Durable Object binding whose class no migration creates", () => {
    const c = copy();
    c.env.production.durable_objects.bindings.push({ name: "MONITOR", class_name: "Monitor" });
    c.durable_objects.bindings.push({ name: "MONITOR", class_name: "Monitor" });
    c.env.staging.durable_objects.bindings.push({ name: "MONITOR", class_name: "Monitor" });
    expect(messages(preflight(c).errors)).toEqual([
      "[staging] Durable Object MONITOR uses class Monitor, which no migration of env.staging creates",
      "[production] Durable Object MONITOR uses class Monitor, which no migration of env.production creates",
    ]);
  });
});

describe("each environment declares what the code uses", () => {
  it("refuses a binding, var or secret the top level has and an environment lacks (nothing is inherited)", () => {
    const c = copy();
    c.env.production.r2_buckets = [];
    delete c.env.staging.vars.PRIVATE_MODE;
    c.env.production.secrets.required = ["ADMIN_TOKEN"];
    const text = messages(preflight(c).errors).join("\n");
    expect(text).toMatch(/\[production\] r2_buckets BUCKET is declared at the top level but not in env.production/);
    expect(text).toMatch(/\[staging\] vars PRIVATE_MODE is declared at the top level but not in env.staging/);
    expect(text).toMatch(
      /\[production\] secrets LOG_SIGNING_KEY is declared at the top level but not in env.production/,
    );
  });

  it("refuses a binding only an environment has (the local runtime and the tests would not)", () => {
    const c = copy();
    c.env.staging.kv_namespaces.push({ binding: "EXTRA", id: REAL_ID });
    expect(messages(preflight(c).errors).join("\n")).toMatch(
      /\[staging\] kv_namespaces EXTRA is in env.staging but not at the top level/,
    );
  });

  it("refuses a missing environment", () => {
    const c = copy();
    delete c.env.staging;
    expect(messages(preflight(c).errors)).toContain("[staging] wrangler.jsonc has no env.staging");
  });
});

describe("queues and resources", () => {
  it("refuses a consumer without a dead-letter queue, or with its own queue as one", () => {
    const c = copy();
    delete c.env.production.queues.consumers[0].dead_letter_queue;
    c.env.staging.queues.consumers[0].dead_letter_queue = c.env.staging.queues.consumers[0].queue;
    const text = messages(preflight(c).errors).join("\n");
    expect(text).toMatch(/\[production\] the consumer of ori-registry-jobs-production has no dead_letter_queue/);
    expect(text).toMatch(/\[staging\] the consumer of ori-registry-jobs-staging uses its own queue/);
  });

  it("lets the consumer of a dead-letter queue go without one, and only that consumer", () => {
    const c = copy();
    expect(c.env.production.queues.consumers.map((q) => q.queue)).toContain("ori-registry-jobs-dlq-production");
    expect(messages(preflight(c).errors)).toEqual([]);
    c.env.production.queues.consumers[0].dead_letter_queue = "ori-registry-jobs-graveyard-production";
    expect(messages(preflight(c).errors)).toContain(
      "[production] the consumer of ori-registry-jobs-dlq-production has no dead_letter_queue: a message that fails every retry would be lost",
    );
  });

  it("refuses staging sharing production's bucket, queue or KV namespace, or the local ones", () => {
    const c = copy();
    c.env.staging.r2_buckets[0].bucket_name = "ori-registry-production";
    c.env.staging.kv_namespaces[0].id = REAL_ID;
    c.env.production.kv_namespaces[0].id = REAL_ID;
    c.env.production.queues.producers[0].queue = "ori-registry-jobs";
    const text = messages(preflight(c).errors).join("\n");
    expect(text).toMatch(/\[production\] R2 bucket ori-registry-production is also staging's/);
    expect(text).toMatch(new RegExp(`\\[production\\] KV namespace ${REAL_ID} is also staging's`));
    expect(text).toMatch(/\[production\] queue ori-registry-jobs is also the top level's/);
  });

  it("refuses containers outside production", () => {
    const c = copy();
    c.env.staging.containers = [{ class_name: "Pipeline", image: "./Dockerfile" }];
    expect(messages(preflight(c).errors)).toContain("[staging] containers are for production only");
  });
});
