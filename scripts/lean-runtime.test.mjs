// The lean runtime's configuration comes from wrangler.jsonc, read by wrangler: the same
// bindings, queue consumer and Durable Object classes wrangler dev gives the Worker, names that
// keep the state folder's layout, and only declared values from the local secrets file.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readRawConfig } from "./deploy-preflight.mjs";
import { bundleWorker, localWorkerOptions } from "./lean-runtime.mjs";

const root = join(import.meta.dirname, "..");
const configPath = join(root, "wrangler.jsonc");
const raw = readRawConfig(configPath);

describe("localWorkerOptions", () => {
  it("gives the Worker every binding of wrangler.jsonc's top level", { timeout: 60_000 }, async () => {
    const warnings = [];
    const {
      name,
      main,
      workerOptions: w,
    } = await localWorkerOptions({
      configPath,
      devVarsPath: "/nonexistent/dev.vars",
      devVars: {
        ADMIN_TOKEN: "ori_x",
        LOG_SIGNING_KEY: "PRIVATE+KEY+a+b+c",
        RATE_LIMIT_ANONYMOUS_PER_MINUTE: "7",
        ALLOW_FAULT_INJECTION: "true",
      },
      warn: (m) => warnings.push(m),
    });
    // The worker's name is the prefix of every Durable Object folder under .wrangler/state/v3/do.
    expect(name).toBe("ori-registry");
    expect(main).toBe(join(root, "src", "index.ts"));
    expect(Object.keys(w.durableObjects).sort()).toEqual(raw.durable_objects.bindings.map((b) => b.name).sort());
    for (const b of raw.durable_objects.bindings)
      expect(w.durableObjects[b.name]).toMatchObject({ className: b.class_name, useSQLite: true });
    expect(w.kvNamespaces).toEqual({ METADATA: { id: raw.kv_namespaces[0].id } });
    expect(w.r2Buckets).toEqual({ BUCKET: { id: "ori-registry" } });
    expect(w.queueProducers).toEqual({ JOBS: { queueName: "ori-registry-jobs" } });
    expect(w.queueConsumers["ori-registry-jobs"]).toMatchObject({
      maxBatchSize: 10,
      maxRetries: 5,
      deadLetterQueue: "ori-registry-jobs-dlq",
    });
    // vars from the config, overridden by the secrets file; undeclared names are left out, loudly.
    expect(w.bindings).toEqual({
      ...raw.vars,
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: "7",
      ADMIN_TOKEN: "ori_x",
      LOG_SIGNING_KEY: "PRIVATE+KEY+a+b+c",
    });
    expect(warnings).toEqual([
      "Ignoring ALLOW_FAULT_INJECTION in /nonexistent/dev.vars: wrangler.jsonc declares no such var or secret.",
    ]);
  });
});

describe("bundleWorker", () => {
  it(
    "bundles src/index.ts into one ES module that imports only the runtime's own modules",
    { timeout: 60_000 },
    async () => {
      const code = await bundleWorker(join(root, "src", "index.ts"));
      const imports = [...code.matchAll(/^import\s.*?from\s+"([^"]+)";?$/gm)].map((m) => m[1]);
      expect(new Set(imports)).toEqual(new Set(["cloudflare:workers"]));
      for (const cls of raw.durable_objects.bindings.map((b) => b.class_name))
        expect(code).toMatch(new RegExp(`\\b${cls}\\b`));
      expect(code).toMatch(/export\s*\{[^}]*default/);
    },
  );
});
