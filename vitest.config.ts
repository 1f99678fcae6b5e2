// Test projects: `unit` (pure modules, in Node), `repo` (docs and layout checked against the
// code), `integration` (the HTTP API inside workerd
// through the Cloudflare Vitest integration), `private` (the same with PRIVATE_MODE on),
// `differential` (other tar readers against ours, docs/archive-rules.md) and `e2e` (the real dev
// server, driven over HTTP and by the CLI). `npm test` runs them all.
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
// @ts-expect-error plain .mjs helper shared with scripts/start.mjs
import { generateSignerKey } from "./scripts/keys.mjs";
import { build } from "esbuild";
import { pathToFileURL } from "node:url";
import { join } from "node:path";

export const TEST_LOG_ORIGIN = "registry.test/v1/log";
const testKey = generateSignerKey(TEST_LOG_ORIGIN) as { signer: string; verifier: string };

/**
 * The processor's HTTP handler (src/processing/processor-handler.ts), bundled on first use as the
 * container entry bundles it, answering a service binding of the integration tests.
 */
let handler: Promise<(request: Request) => Promise<Response>> | null = null;
function processorHandler(request: Request): Promise<Response> {
  handler ??= (async () => {
    const outfile = join(import.meta.dirname, ".wrangler", "test", "processor-handler.mjs");
    await build({
      entryPoints: [join(import.meta.dirname, "src/processing/processor-handler.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      outfile,
      logLevel: "error",
    });
    return (await import(pathToFileURL(outfile).href)).handleProcessorRequest;
  })();
  return handler.then((handle) => handle(request));
}

/** The Worker's one-line-per-request and per-job logs (docs/monitoring.md): on, but not shown. */
const quietRoutineLogs = (log: string) =>
  /^\{"level":"\w+","msg":"(request|job|probe run)"/.test(log) ? false : undefined;

/**
 * The Workers pool closes a test file's module runner when its last test ends; a queue job the
 * local queue delivers after that (about a second later) fails to load a module it had not
 * loaded yet — "Closing rpc while \"resolve\" was pending". That is the teardown of a finished
 * file, not a test's failure (every test has passed or failed by then): ignore exactly that one.
 */
const ignoreTeardownRace = (error: { name?: string; message?: string }): false | undefined =>
  error.name === "EnvironmentTeardownError" && /Closing rpc while "\w+" was pending/.test(error.message ?? "")
    ? false
    : undefined;

export default defineConfig({
  test: {
    onConsoleLog: quietRoutineLogs,
    onUnhandledError: ignoreTeardownRace,
    projects: [
      {
        test: { name: "unit", include: ["src/**/*.test.ts", "scripts/**/*.test.mjs"], environment: "node" },
      },
      {
        // The repository against itself: docs tables, binding use, import cycles.
        test: { name: "repo", include: ["test/repo/**/*.test.ts"], environment: "node" },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.jsonc" },
            miniflare: {
              bindings: {
                ADMIN_TOKEN: "ori_test_admin_token_0123456789abcdef",
                LOG_SIGNING_KEY: testKey.signer,
                TEST_LOG_VERIFIER_KEY: testKey.verifier,
                ALLOW_FAULT_INJECTION: "true",
              },
              // The processor's HTTP handler behind a service binding: the Processor contract runs
              // inside workerd through the HTTP adapter (test/integration/processor-binding.test.ts).
              serviceBindings: { PROCESSOR_SERVICE: processorHandler },
            },
          }),
        ],
        test: { name: "integration", include: ["test/integration/**/*.test.ts"], testTimeout: 60_000 },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.jsonc" },
            miniflare: {
              bindings: {
                ADMIN_TOKEN: "ori_test_admin_token_0123456789abcdef",
                LOG_SIGNING_KEY: testKey.signer,
                TEST_LOG_VERIFIER_KEY: testKey.verifier,
                PRIVATE_MODE: "true",
                ALLOW_FAULT_INJECTION: "true",
              },
            },
          }),
        ],
        test: { name: "private", include: ["test/private/**/*.test.ts"], testTimeout: 60_000 },
      },
      {
        // Independent tar readers (Python, GNU tar, node-tar, Go) against the registry's reader.
        test: {
          name: "differential",
          include: ["test/differential/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 600_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
