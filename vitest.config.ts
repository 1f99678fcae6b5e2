// Test projects: `unit` (pure modules, in Node), `repo` (docs and layout checked against the
// code), `integration` (the HTTP API inside workerd
// through the Cloudflare Vitest integration), `private` (the same with PRIVATE_MODE on),
// `differential` (other tar readers against ours, docs/archive-rules.md) and `e2e` (the real dev
// server, driven over HTTP and by the CLI). `npm test` runs them all.
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
// @ts-expect-error plain .mjs helper shared with scripts/start.mjs
import { generateSignerKey } from "./scripts/keys.mjs";

export const TEST_LOG_ORIGIN = "registry.test/v1/log";
const testKey = generateSignerKey(TEST_LOG_ORIGIN) as { signer: string; verifier: string };

/** The Worker's one-line-per-request and per-job logs (docs/monitoring.md): on, but not shown. */
const quietRoutineLogs = (log: string) =>
  /^\{"level":"\w+","msg":"(request|job|probe run)"/.test(log) ? false : undefined;

export default defineConfig({
  test: {
    onConsoleLog: quietRoutineLogs,
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
